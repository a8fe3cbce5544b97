//! Proofs and what the pages show: an emailed code, the password, a
//! recovery code; a wrong one counted atomically, real or decoy alike.

use super::*;

/// What the pages show about the browser's case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum View {
    /// Proofs are needed; the ones given so far, and whether the emailed
    /// code was withheld (too many starts for this name today).
    Proving {
        proofs: crate::recovery::case::Proofs,
        code_withheld: bool,
    },
    /// Proven; completes at `ready_at` unless cancelled.
    Waiting { ready_at: UnixTime },
    /// The user may complete now; `password` says whether the password is
    /// asked again.
    Ready { password: bool },
    /// The case ended.
    Ended(CaseState),
}

/// What the user typed as a proof.
pub enum ProofInput {
    EmailCode(String),
    Password(Password),
    RecoveryCode(String),
}

/// Keeps only digits (people type spaces and dashes).
pub fn digits(typed: &str) -> String {
    typed
        .chars()
        .filter(char::is_ascii_digit)
        .take(16)
        .collect()
}

impl View {
    /// What the pages show of a case with these facts (the same for a
    /// real case and a decoy with the same facts).
    pub fn of(facts: &crate::recovery::case::CaseFacts, code_withheld: bool) -> View {
        match facts.state {
            CaseState::Started | CaseState::Proven => View::Proving {
                proofs: facts.proofs,
                code_withheld,
            },
            CaseState::Waiting => View::Waiting {
                ready_at: facts.ready_at.unwrap_or(facts.expires_at),
            },
            CaseState::Ready => View::Ready {
                password: facts.asks_password_again(),
            },
            ended => View::Ended(ended),
        }
    }
}

pub(super) fn view_of(case: &RecoveryCase) -> View {
    View::of(&case.facts, case.code_withheld)
}

/// What the browser's case looks like now; `None` when this browser holds
/// no case (it goes to the start).
pub async fn view<S: RecoveryStore + UserStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    browser: &str,
    meta: &RequestMeta,
) -> Result<Option<View>, Error> {
    Ok(load(env, tenant, browser, meta)
        .await?
        .map(|(case, _)| view_of(&case)))
}

/// Checks one proof for the browser's case. A wrong one counts toward the
/// lock ([`Error::WrongProof`], with the tries left); on a decoy every proof is wrong, after
/// the same work. `None` when this browser holds no case.
pub async fn prove<
    S: RateLimitStore + RecoveryCodeStore + RecoveryStore + UserStore,
    W: PasswordWorker,
>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    browser: &str,
    input: ProofInput,
    meta: &RequestMeta,
) -> Result<Option<View>, Error> {
    let now = env.clock.now();
    if let Some(ip) = &meta.ip {
        limit(
            env,
            &ratelimit::address_key("recovery-proof", ip),
            PROOF_PER_ADDRESS,
            now,
        )
        .await?;
    }
    let Some((case, user)) = load(env, tenant, browser, meta).await? else {
        return Ok(None);
    };
    if case.facts.state != CaseState::Started {
        // Past proving, or ended: more proof changes nothing.
        return Ok(Some(view_of(&case)));
    }
    let nobody = UserId::default();
    let user_id = user.as_ref().map_or(&nobody, |u| &u.id);
    let mut spend: Option<String> = None;
    let proof = match input {
        ProofInput::EmailCode(typed) => {
            let typed = digits(&typed);
            let fresh = case.email_code_expires_at.is_some_and(|at| now < at);
            let matches = case.email_code_hash.as_ref().is_some_and(|stored| {
                ct_eq(
                    stored.as_bytes(),
                    code_hash(env, &case.id, &typed).as_bytes(),
                )
            });
            // Only a code that was mailed counts. Guessing is bounded by the
            // lock of each case and by the codes mailed per name (at most
            // ten cases a day from strangers, five tries each).
            let right = matches && case.code_mailed();
            (fresh && right).then_some(Proof::EmailCode)
        }
        // Whether a right password counts is the state machine's to say; a
        // decoy checks against the dummy hash, the same work, and counts on
        // a counter of its own, the same write.
        ProofInput::Password(password) => {
            let hidden_limit = if case.facts.known_device {
                false
            } else {
                let counter =
                    ratelimit::account_key(crate::signin::SCOPE, &tenant.id, &subject(&case));
                let hit = env
                    .store
                    .rate_limit_add(&counter, 1, now, PASSWORDS_PER_ACCOUNT.window_secs)
                    .await?;
                PASSWORDS_PER_ACCOUNT.exceeded(&hit)
            };
            let right = env
                .worker
                .verify(
                    user.as_ref().and_then(|u| u.password_hash.clone()),
                    password,
                )
                .await?
                .is_match();
            (right && !hidden_limit && user.is_some()).then_some(Proof::Password)
        }
        // The same read for a decoy, which asks about nobody; spent below,
        // with the case's move, in one transaction.
        ProofInput::RecoveryCode(typed) => {
            let stored = match crate::factors::recovery_codes::hash(env.secrets, &typed) {
                Some(h) => {
                    crate::factors::recovery_codes::unused_form(env.store, user_id, &h).await?
                }
                None => None,
            };
            match stored {
                Some(h) if user.is_some() => {
                    spend = Some(h);
                    Some(Proof::RecoveryCode)
                }
                _ => None,
            }
        }
    };
    let Some(proof) = proof else {
        return wrong_proof(env, tenant, user.as_ref(), &case, meta).await;
    };
    let moved = transition(
        env,
        tenant,
        user.as_ref(),
        case.clone(),
        Event::Proved(proof),
        spend.as_deref(),
        meta,
    )
    .await;
    match (moved, &spend) {
        (Ok(moved), _) => Ok(Some(view_of(&moved))),
        // the recovery code was used meanwhile (a parallel request): it
        // was a wrong one after all
        (Err(Error::Conflict(_)), Some(h))
            if !env.store.recovery_code_unused(user_id, h).await? =>
        {
            wrong_proof(env, tenant, user.as_ref(), &case, meta).await
        }
        (Err(other), _) => Err(other),
    }
}

/// A wrong proof: counted atomically (parallel ones are never lost), and
/// the lock follows from the count — the same for a real case and a decoy.
pub(super) async fn wrong_proof<S: RecoveryStore, W>(
    env: &Env<'_, S, W>,
    tenant: &Tenant,
    user: Option<&User>,
    case: &RecoveryCase,
    meta: &RequestMeta,
) -> Result<Option<View>, Error> {
    let now = env.clock.now();
    let Some(counted) = env.store.count_wrong_proof(&case.id, now).await? else {
        // It ended meanwhile (locked by a parallel wrong proof, say).
        let ended = env.store.case_by_id(&case.id).await?;
        return Ok(Some(view_of(ended.as_ref().unwrap_or(case))));
    };
    let case = transition(env, tenant, user, counted, Event::Tick, None, meta).await?;
    if case.facts.state == CaseState::Started {
        return Err(Error::WrongProof {
            tries_left: case.facts.tries_left(&RecoveryPolicy::of(tenant)),
        });
    }
    Ok(Some(view_of(&case)))
}
