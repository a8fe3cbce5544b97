//! Tokens of the operator API: random 256-bit values, shown once, kept as
//! SHA-256, named so an operator knows which to revoke.

use crate::Error;
use crate::platform::clock::UnixTime;
use crate::platform::random::{Random, new_id};
use crate::platform::secret::SecretToken;
use crate::store::{OperatorStore, OperatorToken};

/// Makes a token named `name`; its value exists only in the return value.
pub async fn create_token<S: OperatorStore>(
    store: &S,
    random: &dyn Random,
    name: &str,
    now: UnixTime,
) -> Result<(OperatorToken, SecretToken), Error> {
    let name =
        crate::platform::validate::text("name", name, 100).map_err(|e| Error::Invalid(vec![e]))?;
    let secret = SecretToken::generate(random);
    let token = OperatorToken {
        id: new_id(random),
        name,
        token_hash: secret.hash(),
        created_at: now,
        revoked_at: None,
    };
    store.insert_operator_token(&token).await?;
    Ok((token, secret))
}

/// The token a request presents, if it is one that is not revoked.
pub async fn authenticate<S: OperatorStore>(
    store: &S,
    presented: &str,
) -> Result<Option<OperatorToken>, Error> {
    let Some(token) = SecretToken::from_presented(presented) else {
        return Ok(None);
    };
    Ok(store.operator_token_by_hash(&token.hash()).await?)
}
