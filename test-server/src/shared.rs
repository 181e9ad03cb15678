//! State shared by the server's connections: a mutex lock that survives a panic of the code that held it (a
//! test's predicate), as the state it guards is only ever changed whole.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// Locks `mutex`, whether or not a holder panicked.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
