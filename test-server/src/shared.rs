//! What the crate's loopback servers share: the accept loop that serves each connection on a task of its own,
//! and a mutex lock that survives a panic of the code that held it (a test's predicate), as the state it
//! guards is only ever changed whole.

use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use hyper::body::{Body, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Serves HTTP/1.1 on `listener` until the returned task is aborted: each connection on a task of its own, each
/// request answered by `answer` with the shared `state`.
pub(crate) fn serve<S, A, F, B, E>(listener: TcpListener, state: Arc<S>, answer: A) -> JoinHandle<()>
where
    S: Send + Sync + 'static,
    A: Fn(Arc<S>, Request<Incoming>) -> F + Clone + Send + Sync + 'static,
    F: Future<Output = Result<Response<B>, E>> + Send + 'static,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
    E: Into<BoxError>,
{
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let (state, answer) = (state.clone(), answer.clone());
            tokio::spawn(async move {
                let service = service_fn(move |request| answer(state.clone(), request));
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    })
}

/// Locks `mutex`, whether or not a holder panicked.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
