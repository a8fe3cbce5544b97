//! Issue 11, item 5: limits that leaked or that strangers could use against
//! people — sign-in limits per typed name with a hidden per-account limit,
//! smart lockout for known devices, and a failure limit on client secrets.

use std::sync::Arc;

use latchkey_store::Backend;
use reqwest::cookie::CookieStore;

use crate::helpers::*;
use crate::oidc::{app, register};

on_both_backends!(
    a_username_and_an_email_of_one_account_are_limited_apart,
    the_account_limit_answers_exactly_like_a_wrong_password,
    a_known_device_is_not_held_back_by_strangers_failures,
    a_planted_or_foreign_device_cookie_gives_nothing,
    reauthentication_is_not_held_back_by_strangers_failures,
    wrong_client_secrets_are_limited_per_client_and_address,
    a_client_keeps_working_from_its_known_address_while_strangers_guess,
);

const WRONG: &str = "wrong password here";

/// A browser whose cookies the test can read and plant.
fn browser_with_jar() -> (reqwest::Client, Arc<reqwest::cookie::Jar>) {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    (client, jar)
}

/// The value of `name` in `jar` for the server at `base`.
fn cookie_in(jar: &reqwest::cookie::Jar, base: &str, name: &str) -> Option<String> {
    let url: url::Url = base.parse().unwrap();
    let header = jar.cookies(&url)?;
    header
        .to_str()
        .unwrap()
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// A browser that carries device id `value` (planted, or copied from
/// another browser).
fn browser_with_device(base: &str, value: &str) -> reqwest::Client {
    let (client, jar) = browser_with_jar();
    let url: url::Url = base.parse().unwrap();
    jar.add_cookie_str(&format!("latchkey-device-acme={value}; Path=/"), &url);
    client
}

/// Signs in from a browser that carries device id `device` (the owner's
/// browser, less its session); a new id given on success replaces it.
async fn on_device(
    base: &str,
    device: &mut String,
    login: &str,
    password: &str,
) -> reqwest::Response {
    let (client, jar) = browser_with_jar();
    let url: url::Url = base.parse().unwrap();
    jar.add_cookie_str(&format!("latchkey-device-acme={device}; Path=/"), &url);
    let r = sign_in(&client, base, "acme", login, password).await;
    *device = cookie_in(&jar, base, "latchkey-device-acme").unwrap();
    r
}

/// The error shown on a sign-in page.
fn alert(body: &str) -> String {
    body.split("role=\"alert\">")
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap_or_default()
        .to_owned()
}

/// Item 5, first bullet: the limit that answers 429 counts what was typed,
/// so ten tries as a username and one as an email no longer tell whether
/// the two belong to one account.
async fn a_username_and_an_email_of_one_account_are_limited_apart(backend: Backend) {
    let s = TestServer::start_with(backend, &[("signin.attempts_per_account", "3")]).await;
    let base = &s.running.url;
    let mut seen = vec![];
    for (name, email) in [
        ("alice", "alice@example.com"),
        ("ghost", "ghost@example.com"),
    ] {
        let mut statuses = vec![];
        for login in [name, name, name, email, name] {
            statuses.push(attempt(base, login, WRONG).await);
        }
        seen.push(statuses);
    }
    assert_eq!(
        seen[0],
        vec![401, 401, 401, 401, 429],
        "the email is counted apart from the username"
    );
    assert_eq!(seen[0], seen[1], "a real pair and a made-up one look alike");
}

/// The per-account limit stays, on the password check itself, where it
/// cannot be observed: over it, the right password is answered like a
/// wrong one (same status, message and argon2 work), never 429.
async fn the_account_limit_answers_exactly_like_a_wrong_password(backend: Backend) {
    let s = TestServer::start_with(backend, &[("signin.attempts_per_account", "3")]).await;
    let base = &s.running.url;
    let pool = s.running.state.hasher();
    let mut answers = vec![];
    for (name, email) in [
        ("alice", "alice@example.com"),
        ("ghost", "ghost@example.com"),
    ] {
        // two tries per name: under each name's limit, over the account's
        for login in [name, name, email, email] {
            assert_eq!(attempt(base, login, WRONG).await, 401, "{login}");
        }
        let before = pool.completed();
        let r = sign_in(&browser(), base, "acme", &email.to_uppercase(), PASSWORD).await;
        let status = r.status().as_u16();
        let cookies = r.headers().get_all("set-cookie").iter().count();
        let body = r.text().await.unwrap();
        assert_eq!(pool.completed() - before, 1, "{name}: the hash still runs");
        answers.push((status, alert(&body), cookies));
    }
    assert_eq!(answers[0].0, 401, "the right password, over the limit");
    assert_eq!(
        answers[0].1,
        "The username, email or password is not correct."
    );
    assert_eq!(answers[0], answers[1], "as for a name with no account");

    // the window passes, and the right password works again
    s.clock.advance(15 * 60);
    assert_eq!(attempt(base, "alice@example.com", PASSWORD).await, 303);
}

/// Item 5, smart lockout: failures from strangers do not hold back the
/// owner on a device they signed in from.
async fn a_known_device_is_not_held_back_by_strangers_failures(backend: Backend) {
    let s = TestServer::start_with(backend, &[("signin.attempts_per_account", "3")]).await;
    let base = &s.running.url;
    let (owner, jar) = browser_with_jar();
    assert_eq!(
        sign_in(&owner, base, "acme", "alice", PASSWORD)
            .await
            .status(),
        303
    );
    let mut device = cookie_in(&jar, base, "latchkey-device-acme").unwrap();

    // strangers use up every limit they can reach
    for login in ["alice", "alice@example.com"] {
        for _ in 0..5 {
            attempt(base, login, WRONG).await;
        }
    }
    assert_eq!(attempt(base, "alice", PASSWORD).await, 429);
    assert_eq!(attempt(base, "alice@example.com", PASSWORD).await, 429);

    // the owner's browser is not held back, by either name
    for login in ["alice", "Alice@Example.com"] {
        let r = on_device(base, &mut device, login, PASSWORD).await;
        assert_eq!(r.status(), 303, "{login}");
        assert_eq!(location(&r), "/t/acme/account");
    }

    // the device has its own, shorter limit
    for _ in 0..3 {
        assert_eq!(
            on_device(base, &mut device, "alice", WRONG).await.status(),
            401
        );
    }
    let r = on_device(base, &mut device, "alice", PASSWORD).await;
    assert_eq!(r.status(), 429);
    let retry: i64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 5 * 60, "{retry}");
    s.clock.advance(5 * 60);
    assert_eq!(
        on_device(base, &mut device, "alice", PASSWORD)
            .await
            .status(),
        303
    );
}

/// Smart lockout leaks nothing: a planted device id, or a device id of
/// another account, is a browser without a device.
async fn a_planted_or_foreign_device_cookie_gives_nothing(backend: Backend) {
    let s = TestServer::start_with(backend, &[("signin.attempts_per_account", "3")]).await;
    let base = &s.running.url;
    add_user(&s.tdb, &s.clock, &s.tenant, "bob", "bob@example.com").await;
    let (bobs, jar) = browser_with_jar();
    assert_eq!(
        sign_in(&bobs, base, "acme", "bob", PASSWORD).await.status(),
        303
    );
    let mut bobs_device = cookie_in(&jar, base, "latchkey-device-acme").unwrap();

    // alice's account is over its limit (her email under its own)
    for login in ["alice", "alice", "alice", "alice@example.com"] {
        assert_eq!(attempt(base, login, WRONG).await, 401);
    }
    for device in [bobs_device.clone(), "p".repeat(43)] {
        let b = browser_with_device(base, &device);
        let r = sign_in(&b, base, "acme", "ALICE@example.com", PASSWORD).await;
        assert_eq!(r.status(), 401, "{device}");
        assert_eq!(
            alert(&r.text().await.unwrap()),
            "The username, email or password is not correct."
        );
    }
    // and bob's device is still bob's
    assert_eq!(
        on_device(base, &mut bobs_device, "bob", PASSWORD)
            .await
            .status(),
        303
    );
}

/// Re-authentication in a signed-in browser (a known device) is not held
/// back by strangers' failures either.
async fn reauthentication_is_not_held_back_by_strangers_failures(backend: Backend) {
    let s = TestServer::start_with(backend, &[("signin.attempts_per_account", "3")]).await;
    let base = &s.running.url;
    let owner = browser();
    assert_eq!(
        sign_in(&owner, base, "acme", "alice", PASSWORD)
            .await
            .status(),
        303
    );
    for login in ["alice", "alice@example.com"] {
        for _ in 0..5 {
            attempt(base, login, WRONG).await;
        }
    }
    let (status, page) = get_text(&owner, &s.url("/t/acme/reauth?return_to=/t/acme/account")).await;
    assert_eq!(status, 200);
    let r = owner
        .post(s.url("/t/acme/reauth"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("password", PASSWORD),
            ("return_to", "/t/acme/account"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/t/acme/account");
}

/// A machine application; (client_id, secret).
async fn machine(s: &TestServer) -> (String, String) {
    let mut m = app("Machine", false, true);
    m.grant_types = vec!["client_credentials".into()];
    m.redirect_uris = vec![];
    let (id, secret) = register(s, m).await;
    (id, secret.unwrap())
}

/// `POST {endpoint}` from `address` (via the trusted proxy's header):
/// status, Retry-After and the JSON body.
async fn client_call(
    base: &str,
    endpoint: &str,
    address: &str,
    id: &str,
    secret: &str,
) -> (u16, Option<i64>, serde_json::Value) {
    let form: &[(&str, &str)] = match endpoint {
        "token" => &[("grant_type", "client_credentials")],
        _ => &[("token", "not-a-token")],
    };
    let r = reqwest::Client::new()
        .post(format!("{base}/t/acme/{endpoint}"))
        .header("x-forwarded-for", address)
        .basic_auth(id, Some(secret))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    if status == 429 {
        assert_eq!(r.headers()["cache-control"], "no-store");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json")
        );
    }
    (status, retry, r.json().await.unwrap_or_default())
}

const PROXIED: &[(&str, &str)] = &[("server.trust_proxy_headers", "true")];

/// Item 5, client secrets: wrong secrets are limited per (client, address),
/// counted in the database (two nodes share the count), answered 429 with
/// Retry-After in RFC 6749's error format — at the token, introspection and
/// revocation endpoints, and for client ids that do not exist alike.
async fn wrong_client_secrets_are_limited_per_client_and_address(backend: Backend) {
    let s = TestServer::start_with(backend, PROXIED).await;
    let second = start_on(&s.tdb, s.clock.clone(), PROXIED).await;
    let (id, secret) = machine(&s).await;
    let nodes = [s.running.url.as_str(), second.url.as_str()];
    let guesser = "203.0.113.1";

    for who in [id.as_str(), "no-such-client"] {
        for i in 0..10 {
            let (status, _, body) = client_call(nodes[i % 2], "token", guesser, who, "guess").await;
            assert_eq!(
                (status, body["error"].as_str()),
                (401, Some("invalid_client")),
                "{who} {i}"
            );
        }
        let (status, retry, body) = client_call(nodes[0], "token", guesser, who, "guess").await;
        assert_eq!(status, 429, "{who}");
        assert_eq!(body["error"], "temporarily_unavailable");
        assert!(
            body["error_description"]
                .as_str()
                .is_some_and(|d| !d.is_empty())
        );
        let retry = retry.unwrap();
        assert!((1..=60).contains(&retry), "{retry}");
    }
    // the count is shared: the other node refuses the next wrong guess ...
    let (status, _, _) = client_call(nodes[1], "token", guesser, &id, "guess").await;
    assert_eq!(status, 429);
    // ... and from then on both refuse before the secret is checked: the
    // right one waits too, at every endpoint that authenticates clients
    for endpoint in ["token", "introspect", "revoke"] {
        for node in nodes {
            let (status, _, _) = client_call(node, endpoint, guesser, &id, &secret).await;
            assert_eq!(status, 429, "{endpoint} on {node}");
        }
    }
    // another address is not held back
    let (status, _, body) = client_call(nodes[0], "token", "203.0.113.2", &id, &secret).await;
    assert_eq!(status, 200, "{body}");
    // the window is short
    s.clock.advance(60);
    let (status, _, _) = client_call(nodes[1], "token", guesser, &id, &secret).await;
    assert_eq!(status, 200);
    second.shutdown().await.unwrap();
}

/// Strangers guessing from many addresses limit the client as a whole, but
/// never its correct use from an address it authenticated from recently.
async fn a_client_keeps_working_from_its_known_address_while_strangers_guess(backend: Backend) {
    let s = TestServer::start_with(backend, PROXIED).await;
    let base = &s.running.url;
    let (id, secret) = machine(&s).await;
    let home = "198.51.100.7";
    assert_eq!(client_call(base, "token", home, &id, &secret).await.0, 200);

    let mut limited = None;
    for i in 0..40 {
        let address = format!("192.0.2.{}", i + 1);
        let (status, _, _) = client_call(base, "token", &address, &id, "guess").await;
        if status == 429 {
            limited = Some(i);
            break;
        }
        assert_eq!(status, 401);
    }
    assert_eq!(limited, Some(30), "30 failures per client and minute");
    // a new address waits, even with the right secret ...
    let (status, retry, _) = client_call(base, "token", "192.0.2.200", &id, &secret).await;
    assert_eq!(status, 429);
    assert!(retry.is_some_and(|r| (1..=60).contains(&r)));
    // ... but the client's own address does not
    for endpoint in ["token", "introspect"] {
        let (status, _, body) = client_call(base, endpoint, home, &id, &secret).await;
        assert_eq!(status, 200, "{endpoint}: {body}");
    }
    s.clock.advance(60);
    assert_eq!(
        client_call(base, "token", "192.0.2.200", &id, &secret)
            .await
            .0,
        200
    );
}
