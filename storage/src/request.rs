//! The id of the HTTP request a piece of work belongs to, carried into the blocking pool.
//!
//! The server's request-id middleware runs each request inside [`scope`]; [`crate::db::Db::run`]
//! carries the id into the blocking thread that runs the closure, so that the journal writer,
//! deep inside a transaction, stamps its entry with the request's id without every domain
//! function passing it along. Work outside a request (the sweep, the command line) has none.

use std::cell::RefCell;
use std::future::Future;

tokio::task_local! {
    static TASK: String;
}

thread_local! {
    static BLOCKING: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `work` as part of request `id`.
pub async fn scope<F: Future>(id: String, work: F) -> F::Output {
    TASK.scope(id, work).await
}

/// The id of the request the current work belongs to, on its task or in the blocking pool.
pub fn current() -> Option<String> {
    TASK.try_with(Clone::clone).ok().or_else(|| BLOCKING.with(|b| b.borrow().clone()))
}

/// Runs `f` on this thread of the blocking pool as part of request `id` (none: outside any).
pub(crate) fn carried<T>(id: Option<String>, f: impl FnOnce() -> T) -> T {
    /// Puts the thread's previous id back, also when `f` panics.
    struct Restore(Option<String>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            BLOCKING.with(|b| *b.borrow_mut() = previous);
        }
    }
    let _restore = Restore(BLOCKING.with(|b| b.replace(id)));
    f()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_id_follows_the_task_into_the_blocking_pool_and_no_further() {
        assert_eq!(current(), None);
        let inside = scope("r1".into(), async {
            let id = current();
            let blocking = tokio::task::spawn_blocking(move || carried(id, current)).await.unwrap();
            (current(), blocking)
        })
        .await;
        assert_eq!(inside, (Some("r1".into()), Some("r1".into())));
        assert_eq!(current(), None);
        let after = tokio::task::spawn_blocking(|| carried(None, current)).await.unwrap();
        assert_eq!(after, None);
    }
}
