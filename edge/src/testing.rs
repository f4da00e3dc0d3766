//! Helpers shared by native tests.

/// Runs a future that never waits on anything real (scripted and fake transports answer at once).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let mut f = std::pin::pin!(f);
    match f.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(v) => v,
        std::task::Poll::Pending => panic!("a scripted call pended"),
    }
}

/// A ledger that remembers nothing: what the core alone can guarantee.
pub struct Forgetful;

impl crate::core::Ledger for Forgetful {
    async fn begin(&self, _: &str) -> Result<crate::core::SessionRecord, crate::error::ApiError> {
        Ok(Default::default())
    }
    async fn record(&self, _: &str, _: &crate::core::SessionRecord) {}
    async fn end(&self, _: &str) {}
}

/// No identity links (no KV binding): verified users are not found across devices.
pub struct NoLinks;

impl crate::core::LinkStore for NoLinks {
    async fn get(&self, _: &str) -> Option<String> {
        None
    }
    async fn put(&self, _: &str, _: &str) {}
}
