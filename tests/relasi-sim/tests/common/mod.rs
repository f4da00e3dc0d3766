//! Shared by the simulator's socket-level tests.

use axum::Router;
use tokio::net::TcpListener;

/// A loopback listener on a free port, and its base URL.
pub async fn listener() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    (listener, base)
}

/// Serves `router` on `listener` in the background, with connection info (for IP allowlists).
pub fn serve_on(listener: TcpListener, router: Router) {
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await.unwrap() });
}

/// Serves `router` on a free loopback port; answers its base URL.
pub async fn serve(router: Router) -> String {
    let (listener, base) = listener().await;
    serve_on(listener, router);
    base
}
