//! Health, readiness, metrics and security headers.

use latchkey_store::Backend;

use crate::helpers::*;

on_both_backends!(
    health_readiness_and_metrics,
    every_page_has_security_headers
);

async fn health_readiness_and_metrics(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (status, body) = get_text(&browser(), &s.url("/healthz")).await;
    assert_eq!((status, body.as_str()), (200, "ok\n"));
    let r = browser().get(s.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let ready: serde_json::Value = r.json().await.unwrap();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["database"], backend.name());

    get_text(&browser(), &s.url("/t/acme/signin")).await;
    let metrics = s.metrics().await;
    assert!(
        metrics.contains("latchkey_http_requests_total{method=\"GET\",route=\"/t/{tenant}/signin\",status=\"200\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("latchkey_http_request_duration_seconds_bucket{method=\"GET\",route=\"/t/{tenant}/signin\",le=\"+Inf\"} 1"));
    assert!(metrics.contains("latchkey_password_hashes_in_progress 0"));

    // readiness fails when the database is gone
    s.running.state.db().close().await;
    let r = browser().get(s.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 503);
}

async fn every_page_has_security_headers(backend: Backend) {
    let s = TestServer::start(backend).await;
    for path in [
        "/",
        "/t/acme/signin",
        "/t/nope/signin",
        "/healthz",
        "/nothing",
    ] {
        let r = browser().get(s.url(path)).send().await.unwrap();
        let h = r.headers();
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert_eq!(
            h.get("x-content-type-options").unwrap(),
            "nosniff",
            "{path}"
        );
        assert_eq!(h.get("referrer-policy").unwrap(), "no-referrer", "{path}");
        assert!(h.get("x-request-id").is_some(), "{path}");
    }
}
