//! The blocking API (cargo feature `blocking`): `send_blocking()` on every operation and blocking paginators,
//! all driven by one internal runtime, sharing the async code (no second copy of any action).

use std::future::Future;
use std::sync::OnceLock;

use crate::error::Error;
use crate::paginator::{Paged, Paginator, Sendable};

fn runtime() -> Result<&'static tokio::runtime::Runtime, Error> {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("domain-sdk-blocking")
        .enable_all()
        .build()
        .map_err(|e| Error::Blocking(format!("cannot start the blocking runtime: {e}")))?;
    Ok(RUNTIME.get_or_init(|| rt))
}

/// Runs `future` to completion on the SDK's internal runtime, blocking the calling thread.
///
/// # Errors
/// [`Error::Blocking`] when called from within an async runtime (use `.await` there), or if the runtime cannot start.
pub fn block_on<T>(future: impl Future<Output = Result<T, Error>>) -> Result<T, Error> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::Blocking(
            "a blocking call was made from within an async runtime; use the async API (.send().await) there".to_owned(),
        ));
    }
    runtime()?.block_on(future)
}

/// `send_blocking()` for every operation (every generated fluent builder).
pub trait SendBlocking: Sendable {
    /// Sends the request and waits for the answer, blocking the calling thread.
    ///
    /// # Errors
    /// As `send()`; and [`Error::Blocking`] when called from within an async runtime.
    fn send_blocking(self) -> Result<Self::Output, Error> {
        block_on(self.send_boxed())
    }
}

impl<T: Sendable> SendBlocking for T {}

impl<B: Paged> Paginator<B> {
    /// Every page, as a blocking iterator.
    pub fn pages_blocking(self) -> impl Iterator<Item = Result<B::Output, Error>> {
        let mut pages = self.pages();
        std::iter::from_fn(move || block_on(async { Ok(pages.next().await) }).unwrap_or_else(|e| Some(Err(e))))
    }

    /// Every item of every page, as a blocking iterator.
    pub fn items_blocking(self) -> impl Iterator<Item = Result<B::Item, Error>> {
        let mut items = self.items();
        std::iter::from_fn(move || block_on(async { Ok(items.next().await) }).unwrap_or_else(|e| Some(Err(e))))
    }
}
