//! The kinds of application an administrator registers, what each kind is
//! registered as (the client registration rules of [`super::client`] do
//! the checking), and a ready-to-paste configuration for each: the issuer,
//! the client id and where the secret goes, in the shape the usual
//! libraries of that kind take.

use crate::oidc::client::{Client, ClientInput, GrantType};
use crate::platform::text_enum;
use crate::tenants::Tenant;

text_enum!(
    /// What kind of application a client is, as people choose it.
    AppKind, "kind", {
        /// A server-side web application: keeps a secret.
        Web => "web",
        /// A single-page application in the browser: no secret, PKCE.
        Spa => "spa",
        /// A mobile or desktop application: no secret, PKCE, a loopback
        /// redirect.
        Native => "native",
        /// A service calling APIs as itself (client credentials).
        Service => "service"
    }
);

impl AppKind {
    /// What an application of this kind is registered as.
    pub fn input(self, name: &str, redirect_uris: Vec<String>, first_party: bool) -> ClientInput {
        let public = matches!(self, AppKind::Spa | AppKind::Native);
        let grant_types = match self {
            AppKind::Service => vec![GrantType::ClientCredentials.as_str().to_owned()],
            _ => vec![],
        };
        ClientInput {
            name: name.to_owned(),
            // a service signs nobody in: it has no redirect address
            redirect_uris: if self == AppKind::Service {
                vec![]
            } else {
                redirect_uris
            },
            public,
            first_party,
            grant_types,
            ..Default::default()
        }
    }

    /// The kind a registered client is (a public client with only loopback
    /// redirects is a native one).
    pub fn of(client: &Client) -> AppKind {
        let only_credentials = client.grant_types == [GrantType::ClientCredentials];
        if only_credentials && !client.is_public() {
            return AppKind::Service;
        }
        if !client.is_public() {
            return AppKind::Web;
        }
        let loopback = |u: &String| {
            ["http://127.0.0.1", "http://localhost", "http://[::1]"]
                .iter()
                .any(|p| u.starts_with(p))
        };
        if !client.redirect_uris.is_empty() && client.redirect_uris.iter().all(loopback) {
            AppKind::Native
        } else {
            AppKind::Spa
        }
    }
}

/// Where an application finds the tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub issuer: String,
    pub discovery: String,
}

impl Endpoints {
    pub fn of(public_url: &str, tenant: &Tenant) -> Endpoints {
        let issuer = crate::oidc::issuer(public_url, tenant);
        Endpoints {
            discovery: format!("{issuer}/.well-known/openid-configuration"),
            issuer,
        }
    }
}

/// The placeholder a snippet has where the secret goes once it is no
/// longer shown (the secret is kept only as a hash).
pub const SECRET_PLACEHOLDER: &str = "<the client secret>";

/// A configuration to paste into an application of `kind` registered as
/// `client`, with its `secret` where one is shown (right after it was
/// made), else a placeholder.
pub fn snippet(
    kind: AppKind,
    endpoints: &Endpoints,
    client: &Client,
    secret: Option<&str>,
) -> String {
    let id = client.client_id.as_str();
    let secret = secret.unwrap_or(SECRET_PLACEHOLDER);
    let issuer = &endpoints.issuer;
    let redirect = client
        .redirect_uris
        .first()
        .map_or("https://app.example.com/callback", String::as_str);
    match kind {
        AppKind::Web => format!(
            "# .env of a server-side web application (openid-client, Spring Security,\n\
             # ASP.NET, Django, …): discovery from the issuer, authorization code + PKCE\n\
             OIDC_ISSUER={issuer}\n\
             OIDC_CLIENT_ID={id}\n\
             OIDC_CLIENT_SECRET={secret}\n\
             OIDC_REDIRECT_URI={redirect}\n\
             OIDC_SCOPES=\"openid profile email offline_access\"\n"
        ),
        AppKind::Spa => format!(
            "// oidc-client-ts (npm i oidc-client-ts): no secret, PKCE\n\
             import {{ UserManager }} from \"oidc-client-ts\";\n\
             \n\
             export const auth = new UserManager({{\n\
             \x20 authority: \"{issuer}\",\n\
             \x20 client_id: \"{id}\",\n\
             \x20 redirect_uri: \"{redirect}\",\n\
             \x20 response_type: \"code\",\n\
             \x20 scope: \"openid profile email\",\n\
             }});\n"
        ),
        AppKind::Native => format!(
            "// AppAuth (iOS, Android) or any native OIDC library: no secret, PKCE,\n\
             // the system browser and a loopback redirect (RFC 8252)\n\
             {{\n\
             \x20 \"issuer\": \"{issuer}\",\n\
             \x20 \"client_id\": \"{id}\",\n\
             \x20 \"redirect_uri\": \"{redirect}\",\n\
             \x20 \"scope\": \"openid profile email offline_access\"\n\
             }}\n"
        ),
        AppKind::Service => format!(
            "# A token for the service itself (client credentials)\n\
             CLIENT_SECRET='{secret}'\n\
             curl -s -u \"{id}:$CLIENT_SECRET\" \\\n\
             \x20 -d grant_type=client_credentials \\\n\
             \x20 {issuer}/token\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::clock::UnixTime;
    use crate::platform::random::SeededRandom;
    use crate::tenants::TenantInput;

    fn tenant() -> Tenant {
        TenantInput {
            slug: "acme".into(),
            display_name: "Acme".into(),
            ..Default::default()
        }
        .parse("t1".into(), UnixTime(0))
        .unwrap()
    }

    fn register(kind: AppKind, uris: &[&str]) -> Client {
        let uris = uris.iter().map(|u| (*u).to_owned()).collect();
        kind.input("App", uris, false)
            .parse(&tenant(), &SeededRandom::new(1), UnixTime(0))
            .unwrap()
            .0
    }

    #[test]
    fn each_kind_registers_as_itself_and_reads_back() {
        let web = register(AppKind::Web, &["https://shop.example/cb"]);
        assert!(!web.is_public());
        assert_eq!(AppKind::of(&web), AppKind::Web);
        let spa = register(AppKind::Spa, &["https://spa.example/cb"]);
        assert!(spa.is_public());
        assert_eq!(AppKind::of(&spa), AppKind::Spa);
        let native = register(AppKind::Native, &["http://127.0.0.1:8400/cb"]);
        assert_eq!(AppKind::of(&native), AppKind::Native);
        let service = register(AppKind::Service, &["https://ignored.example/cb"]);
        assert!(service.redirect_uris.is_empty());
        assert_eq!(service.grant_types, [GrantType::ClientCredentials]);
        assert_eq!(AppKind::of(&service), AppKind::Service);
    }

    #[test]
    fn the_client_rules_still_apply() {
        // a web application needs a redirect address; core's rule says so
        let err = AppKind::Web
            .input("App", vec![], false)
            .parse(&tenant(), &SeededRandom::new(1), UnixTime(0))
            .unwrap_err();
        let crate::Error::Invalid(errors) = err else {
            panic!("expected Invalid")
        };
        assert_eq!(errors[0].field, "redirect_uris");
    }

    #[test]
    fn snippets_name_the_issuer_and_client_and_the_secret_only_when_shown() {
        let t = tenant();
        let endpoints = Endpoints::of("https://id.example.com/", &t);
        assert_eq!(endpoints.issuer, "https://id.example.com/t/acme");
        assert_eq!(
            endpoints.discovery,
            "https://id.example.com/t/acme/.well-known/openid-configuration"
        );
        for kind in AppKind::ALL {
            let client = register(*kind, &["http://127.0.0.1:8400/cb"]);
            let text = snippet(*kind, &endpoints, &client, None);
            assert!(text.contains(&endpoints.issuer), "{kind}: {text}");
            assert!(text.contains(client.client_id.as_str()), "{kind}: {text}");
        }
        let web = register(AppKind::Web, &["https://shop.example/cb"]);
        let text = snippet(AppKind::Web, &endpoints, &web, None);
        assert!(text.contains("OIDC_REDIRECT_URI=https://shop.example/cb"));
        assert!(text.contains(SECRET_PLACEHOLDER));
        let shown = snippet(AppKind::Web, &endpoints, &web, Some("s3cret"));
        assert!(shown.contains("OIDC_CLIENT_SECRET=s3cret") && !shown.contains(SECRET_PLACEHOLDER));
    }
}
