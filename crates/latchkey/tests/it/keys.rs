//! OpenID Connect groundwork: token signing keys (made at first start,
//! sealed at rest, published as a JWKS per tenant, rotated with overlap by
//! the CLI) and registered applications (clients).

use latchkey_core::store::{ClientStore, SigningKeyStore};
use latchkey_store::Backend;

use crate::helpers::*;

on_both_backends!(
    keys_are_made_published_and_rotated_with_overlap,
    clients_are_registered_with_a_secret_shown_once,
    clients_are_changed_given_new_secrets_and_removed_from_the_cli,
);

fn keys_cli(db_url: &str, args: &[&str], secret: Option<&str>) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_latchkey"));
    cmd.args(["keys"])
        .args(args)
        .args(["--database-url", db_url])
        .env_remove("LATCHKEY_CONFIG")
        .env_remove("LATCHKEY_SECURITY_SECRET_KEY");
    if let Some(key) = secret {
        cmd.env("LATCHKEY_SECURITY_SECRET_KEY", key);
    } else {
        cmd.args(["--data-dir", &temp_dir().display().to_string()]);
    }
    cmd.output().unwrap()
}

async fn keys_are_made_published_and_rotated_with_overlap(backend: Backend) {
    let s = TestServer::start(backend).await;
    let (status, body) = get_text(&browser(), &s.url("/t/acme/jwks")).await;
    assert_eq!(status, 200);
    let jwks: serde_json::Value = serde_json::from_str(&body).unwrap();
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1, "made at first start");
    assert_eq!(
        (keys[0]["kty"].as_str(), keys[0]["crv"].as_str()),
        (Some("EC"), Some("P-256"))
    );
    assert!(keys[0].get("d").is_none(), "no private part");
    let first = keys[0]["kid"].as_str().unwrap().to_owned();
    let stored = s.tdb.db.signing_keys(&s.tenant.id).await.unwrap();
    assert!(
        stored[0].private_sealed.starts_with("v1."),
        "sealed at rest"
    );
    let (status, _) = get_text(&browser(), &s.url("/t/nobody/jwks")).await;
    assert_eq!(status, 404);
    // Each tenant is its own issuer with its own keys.
    latchkey_core::tenants::create(
        &s.tdb.db,
        &*s.clock,
        &latchkey_core::platform::random::OsRandom,
        &latchkey_core::tenants::TenantInput {
            slug: "globex".into(),
            display_name: "Globex".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (_, body) = get_text(&browser(), &s.url("/t/globex/jwks")).await;
    let theirs: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        theirs["keys"].as_array().unwrap().len(),
        1,
        "made on first use"
    );
    assert_ne!(theirs["keys"][0]["kid"].as_str(), Some(first.as_str()));

    let url = s.tdb.url.clone();
    let o =
        tokio::task::spawn_blocking(move || keys_cli(&url, &["rotate", "--tenant", "acme"], None))
            .await
            .unwrap();
    assert_eq!(o.status.code(), Some(2), "without the deployment's key");
    assert!(String::from_utf8_lossy(&o.stderr).contains("secret key"));

    let url = s.tdb.url.clone();
    let o = tokio::task::spawn_blocking(move || {
        keys_cli(&url, &["rotate", "--tenant", "acme"], Some(SECRET_KEY))
    })
    .await
    .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(s.tdb.db.signing_keys(&s.tenant.id).await.unwrap().len(), 2);

    let url = s.tdb.url.clone();
    let o = tokio::task::spawn_blocking(move || {
        keys_cli(
            &url,
            &["list", "--tenant", "acme", "--json"],
            Some(SECRET_KEY),
        )
    })
    .await
    .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let signing: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["signing"] == true)
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(signing.len(), 1);
    assert_ne!(signing[0], first, "the new key signs");

    // Rotating again (on the server's clock): the key it retires stays in
    // the JWKS, so tokens it signed keep verifying.
    let cli_key = signing[0].to_owned();
    let secrets = latchkey_core::platform::crypto::SecretBox::new(
        &<[u8; 32]>::try_from(hex_decode(SECRET_KEY)).unwrap(),
    );
    let newest = latchkey_core::oidc::signing::rotate(
        &s.tdb.db,
        &s.tenant.id,
        &latchkey_core::platform::random::OsRandom,
        &secrets,
        latchkey_core::platform::clock::Clock::now(&*s.clock),
    )
    .await
    .unwrap();
    let (_, body) = get_text(&browser(), &s.url("/t/acme/jwks")).await;
    let jwks: serde_json::Value = serde_json::from_str(&body).unwrap();
    let kids: Vec<String> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        kids.contains(&cli_key) && kids.contains(&newest.kid),
        "{kids:?}"
    );
    s.clock
        .advance(latchkey_core::oidc::signing::RETIRED_KEEP_SECS);
    let (_, body) = get_text(&browser(), &s.url("/t/acme/jwks")).await;
    let jwks: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        jwks["keys"].as_array().unwrap().len(),
        1,
        "until its tokens expired"
    );

    // The key the CLI sealed opens in the server and signs.
    let keys = s.tdb.db.signing_keys(&s.tenant.id).await.unwrap();
    let made_by_cli = keys.iter().find(|k| k.kid == cli_key).unwrap();
    let jwt =
        latchkey_core::oidc::signing::sign(made_by_cli, &secrets, &serde_json::json!({"sub": "x"}))
            .unwrap();
    assert_eq!(jwt.split('.').count(), 3);
}

fn hex_decode(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

fn cli(db_url: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_latchkey"))
        .args(args)
        .args(["--database-url", db_url])
        .env_remove("LATCHKEY_CONFIG")
        .env("LATCHKEY_SECURITY_SECRET_KEY", SECRET_KEY)
        .output()
        .unwrap()
}

async fn clients_are_registered_with_a_secret_shown_once(backend: Backend) {
    let s = TestServer::start(backend).await;
    let url = s.tdb.url.clone();
    let run = move |args: Vec<&'static str>| {
        let url = url.clone();
        tokio::task::spawn_blocking(move || cli(&url, &args))
    };
    let o = run(vec![
        "client",
        "create",
        "--tenant",
        "acme",
        "--name",
        "Shop",
        "--redirect-uri",
        "https://shop.example/callback",
        "--grant",
        "authorization_code",
        "--grant",
        "refresh_token",
        "--grant",
        "client_credentials",
        "--json",
    ])
    .await
    .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let created: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let client_id = created["client_id"].as_str().unwrap().to_owned();
    let secret = created["client_secret"].as_str().unwrap().to_owned();
    assert!(secret.len() >= 43, "256 bits");
    let stored = s
        .tdb
        .db
        .client_by_client_id(&s.tenant.id, &client_id.clone().into())
        .await
        .unwrap()
        .unwrap();
    assert!(
        s.tdb
            .db
            .client_by_client_id(&"another-tenant".into(), &client_id.clone().into())
            .await
            .unwrap()
            .is_none(),
        "not found from another tenant"
    );
    assert_eq!(
        stored.secret_hash.as_deref(),
        Some(latchkey_core::platform::secret::sha256_hex(secret.as_bytes()).as_str()),
        "only the hash is kept"
    );
    assert_eq!(stored.redirect_uris, ["https://shop.example/callback"]);

    let o = run(vec![
        "client",
        "create",
        "--tenant",
        "acme",
        "--name",
        "",
        "--redirect-uri",
        "http://shop.example/cb#x",
        "--public",
        "--grant",
        "client_credentials",
    ])
    .await
    .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        e.contains("name") && e.contains("redirect_uris") && e.contains("client_credentials"),
        "{e}"
    );

    let o = run(vec![
        "client",
        "create",
        "--tenant",
        "acme",
        "--name",
        "Single page",
        "--redirect-uri",
        "http://localhost:5173/cb",
        "--public",
    ])
    .await
    .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("public client: no secret"));

    let o = run(vec!["client", "list", "--tenant", "acme"])
        .await
        .unwrap();
    let listed = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        listed.contains("Shop") && listed.contains("confidential") && listed.contains("public"),
        "{listed}"
    );
    assert!(!listed.contains(&secret), "the secret is never shown again");
}

async fn clients_are_changed_given_new_secrets_and_removed_from_the_cli(backend: Backend) {
    let s = TestServer::start(backend).await;
    let url = s.tdb.url.clone();
    let run = move |args: Vec<String>| {
        let url = url.clone();
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            cli(&url, &args)
        })
    };
    let args = |text: &str| text.split(' ').map(str::to_owned).collect::<Vec<_>>();
    let o = run(args(
        "client create --tenant acme --name Shop --redirect-uri https://shop.example/cb --json",
    ))
    .await
    .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let created: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let id = created["client_id"].as_str().unwrap().to_owned();
    let secret = created["client_secret"].as_str().unwrap().to_owned();

    let o = run(args(&format!(
        "client update --tenant acme --client-id {id} --access-token-minutes 0 --redirect-uri ftp://x"
    )))
    .await
    .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        e.contains("access_token_minutes") && e.contains("redirect_uris"),
        "{e}"
    );

    let o = run(args(&format!(
        "client update --tenant acme --client-id {id} --name Shop2 --post-logout-uri https://shop.example/bye --first-party true --json"
    )))
    .await
    .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let changed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(changed["name"], "Shop2");
    assert_eq!(changed["first_party"], true);
    assert_eq!(
        changed["redirect_uris"],
        serde_json::json!(["https://shop.example/cb"])
    );
    assert_eq!(
        changed["post_logout_uris"],
        serde_json::json!(["https://shop.example/bye"])
    );

    let o = run(args(&format!("client show --tenant acme --client-id {id}")))
        .await
        .unwrap();
    let shown = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        shown.contains("Shop2") && shown.contains("confidential (client secret)"),
        "{shown}"
    );
    assert!(!shown.contains(&secret));
    assert!(
        shown.contains("scopes:               openid profile email offline_access"),
        "the default, without latchkey:admin: {shown}"
    );

    // --scope replaces the list; every problem is named
    let o = run(args(&format!(
        "client update --tenant acme --client-id {id} --scope email --scope phone --first-party false --scope latchkey:admin"
    )))
    .await
    .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(
        e.contains("\"phone\" is not one of") && e.contains("may have latchkey:admin"),
        "{e}"
    );
    let o = run(args(&format!(
        "client update --tenant acme --client-id {id} --scope email"
    )))
    .await
    .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("must include openid"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run(args(&format!(
        "client update --tenant acme --client-id {id} --scope openid --scope latchkey:admin"
    )))
    .await
    .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(args(&format!("client show --tenant acme --client-id {id}")))
        .await
        .unwrap();
    let shown = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        shown.contains("scopes:               openid latchkey:admin"),
        "{shown}"
    );

    let o = run(args(&format!(
        "client rotate-secret --tenant acme --client-id {id} --json"
    )))
    .await
    .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rotated: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let new_secret = rotated["client_secret"].as_str().unwrap();
    assert_ne!(new_secret, secret);
    let all = s.tdb.db.list_clients(&s.tenant.id).await.unwrap();
    assert_eq!(
        all[0].secret_hash.as_deref(),
        Some(latchkey_core::platform::secret::sha256_hex(new_secret.as_bytes()).as_str())
    );

    let o = run(args(&format!(
        "client delete --tenant acme --client-id {id}"
    )))
    .await
    .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--yes"));
    let o = run(args(&format!(
        "client delete --tenant acme --client-id {id} --yes"
    )))
    .await
    .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        s.tdb
            .db
            .list_clients(&s.tenant.id)
            .await
            .unwrap()
            .is_empty()
    );
    let o = run(args(&format!("client show --tenant acme --client-id {id}")))
        .await
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("client list"),
        "says how to find them"
    );
}
