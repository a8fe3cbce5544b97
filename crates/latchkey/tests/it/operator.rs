//! The operator's side of a tenant's life: the decision on a request for
//! self-recovery reaches the administrator who asked, by mail.

use latchkey_core::accounts::user;
use latchkey_core::effects::audit::{Actor, RequestMeta};
use latchkey_core::platform::clock::Clock;
use latchkey_core::platform::random::OsRandom;
use latchkey_core::recovery::activation;
use latchkey_core::tenants::{self, operator};
use latchkey_store::Backend;

use crate::api::call;
use crate::helpers::*;
use crate::smtp::SmtpSink;

on_both_backends!(the_administrator_who_asked_is_mailed_the_decision_and_its_reason,);

async fn the_administrator_who_asked_is_mailed_the_decision_and_its_reason(backend: Backend) {
    let sink = SmtpSink::start().await;
    let port = sink.addr.port().to_string();
    let s = TestServer::start_with(
        backend,
        &[
            ("mail.smtp_host", "127.0.0.1"),
            ("mail.smtp_port", &port),
            ("mail.smtp_security", "none"),
            ("mail.poll_seconds", "1"),
        ],
    )
    .await;
    let root = add_user_with(
        &s.tdb,
        &s.clock,
        &s.tenant,
        "root",
        "root@example.com",
        true,
        Some("de"),
    )
    .await;
    user::set_role(
        &s.tdb.db,
        &OsRandom,
        &*s.clock,
        &s.tenant,
        &root,
        "admin",
        &Actor::OperatorCli,
    )
    .await
    .unwrap();
    let root = user::by_login(&s.tdb.db, &s.tenant, "root").await.unwrap();
    let ask = || async {
        let tenant = tenants::by_slug(&s.tdb.db, "acme").await.unwrap();
        activation::request_activation(
            &s.tdb.db,
            &OsRandom,
            &*s.clock,
            &tenant,
            &root,
            "please",
            &RequestMeta::default(),
        )
        .await
        .unwrap();
    };
    let (_, secret) = operator::create_token(&s.tdb.db, &OsRandom, "test", s.clock.now())
        .await
        .unwrap();
    let token = Some(secret.expose());
    use reqwest::Method;

    ask().await;
    let (status, body) = call(
        &s,
        Method::POST,
        "/api/operator/tenants/acme/recovery/decline",
        token,
        Some(serde_json::json!({ "reason": "Bitte zuerst den Helpdesk-Text setzen" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let declined = sink.wait_for(1).await.remove(0);
    assert_eq!(declined.to, ["root@example.com"]);
    let subject = latchkey_mail::eml::decode_words(
        &latchkey_mail::eml::header(&declined.data, "Subject").unwrap(),
    );
    assert!(
        subject.contains("abgelehnt"),
        "in root's language: {subject}"
    );
    let text = declined.text();
    assert!(
        text.contains("Bitte zuerst den Helpdesk-Text setzen"),
        "{text}"
    );
    assert!(text.contains("/t/acme/admin"), "{text}");

    ask().await;
    let (status, body) = call(
        &s,
        Method::POST,
        "/api/operator/tenants/acme/recovery/approve",
        token,
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let approved = sink.wait_for(2).await.remove(1);
    assert_eq!(approved.to, ["root@example.com"]);
    let text = approved.text();
    assert!(text.contains("jetzt aktiv"), "{text}");

    // a decision that fails (nothing pending) mails nobody
    let (status, _) = call(
        &s,
        Method::POST,
        "/api/operator/tenants/acme/recovery/decline",
        token,
        Some(serde_json::json!({ "reason": "no" })),
    )
    .await;
    assert_eq!(status, 422);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert_eq!(sink.messages().len(), 2);
}
