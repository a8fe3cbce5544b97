//! The clock, and the canonical form of a world: states that behave alike
//! from here on are one state for the checker.

use std::collections::BTreeSet;

use latchkey_core::platform::clock::UnixTime;
use latchkey_core::recovery::case::{CaseFacts, CaseState, Event};

use crate::rules::Path;
use crate::world::{Ctx, Holding, Kind, World};

impl World {
    // ---- one state for many ----------------------------------------------

    /// Puts the world in a canonical form that behaves exactly alike from
    /// here on, so that the checker counts states that differ only in what
    /// can no longer matter once: the rules compare times only with each
    /// other, so every time is shifted by `now - T0`; past moments that
    /// only matter as "long enough ago" are clamped; expired codes and
    /// links, closed cases no browser or request points at, versions no
    /// request read, and the names of device ids are forgotten.
    pub fn normalize(&mut self, ctx: &Ctx, shift: i64) {
        let now = self.now.plus(-shift);
        let at = |t: UnixTime| t.plus(-shift);
        let facts_at = |f: &mut CaseFacts| {
            f.started_at = UnixTime(0);
            f.proven_at = match (f.proven_at, f.ready_at) {
                // only `waited()` reads it: whether the wait was longer than 0
                (Some(p), Some(r)) => Some(if r > p { at(r).plus(-1) } else { at(r) }),
                (p, _) => p.map(at),
            };
            f.ready_at = f.ready_at.map(at);
            f.expires_at = at(f.expires_at);
        };
        self.now = now;
        // closed cases that nothing points at are gone
        let pointed = |w: &World, i: usize| {
            w.browsers
                .iter()
                .any(|b| b.case.map(usize::from) == Some(i))
                || w.completing.iter().any(|c| usize::from(c.case) == i)
                || w.guessing
                    .iter()
                    .flatten()
                    .any(|g| usize::from(g.case) == i)
        };
        let mut i = 0;
        while i < self.cases.len() {
            if !self.cases[i].facts.state.is_open() && !pointed(self, i) {
                self.cases.remove(i);
                let renumber = |c: &mut u8| {
                    if usize::from(*c) > i {
                        *c -= 1;
                    }
                };
                for b in &mut self.browsers {
                    if let Some(c) = &mut b.case {
                        renumber(c);
                    }
                }
                self.completing
                    .iter_mut()
                    .for_each(|c| renumber(&mut c.case));
                self.guessing
                    .iter_mut()
                    .flatten()
                    .for_each(|g| renumber(&mut g.case));
            } else {
                i += 1;
            }
        }
        for (i, case) in self.cases.iter_mut().enumerate() {
            if case.facts.state.is_open() {
                facts_at(&mut case.facts);
                // a code only proves a case that is being proven
                case.code_until = case
                    .code_until
                    .map(at)
                    .filter(|t| *t > now && case.facts.state == CaseState::Started);
                // the wait is looked at only where it applies
                let waits = case.facts.proofs.path()
                    == Some(latchkey_core::recovery::case::RecoveryPath::Standard)
                    && !case.facts.known_device;
                if !waits {
                    case.told_at = None;
                    case.takeover_told_at = None;
                }
                case.told_at = case
                    .told_at
                    .map(|t| at(t).max(now.plus(-ctx.policy.waiting_secs)));
                case.takeover_told_at = case
                    .takeover_told_at
                    .map(|t| at(t).max(now.plus(-ctx.policy.takeover_notice_secs)));
            } else {
                // a closed case shows only its state
                case.facts = CaseFacts {
                    state: case.facts.state,
                    ..CaseFacts::start(UnixTime(0), false, &ctx.policy)
                };
                case.code_until = None;
                case.cancel_link = false;
                case.told_at = None;
                case.takeover_told_at = None;
            }
            // versions matter only against the versions requests read
            let reads: Vec<u8> = self
                .completing
                .iter()
                .filter(|c| usize::from(c.case) == i)
                .map(|c| c.version)
                .chain(
                    self.guessing
                        .iter()
                        .flatten()
                        .filter(|g| usize::from(g.case) == i)
                        .map(|g| g.version),
                )
                .collect();
            let current = case.version;
            let canonical = |v: u8| u8::from(v == current);
            for c in self
                .completing
                .iter_mut()
                .filter(|c| usize::from(c.case) == i)
            {
                c.version = canonical(c.version);
            }
            for g in self
                .guessing
                .iter_mut()
                .flatten()
                .filter(|g| usize::from(g.case) == i)
            {
                g.version = canonical(g.version);
            }
            case.version = if reads.is_empty() { 0 } else { 1 };
        }
        for c in &mut self.completing {
            facts_at(&mut c.facts);
        }
        for g in self.guessing.iter_mut().flatten() {
            facts_at(&mut g.facts);
        }
        // the account
        let account = &mut self.account;
        account.password_reset_at = match ctx.rules.deadline(account.password_reset_at) {
            // the old 7-day rule: over is as good as never reset
            Some(end) if at(end) <= now => None,
            Some(_) => account.password_reset_at.map(at),
            // otherwise only whether it is set matters
            None => account.password_reset_at.map(|_| UnixTime(0)),
        };
        let stale = now.plus(-ctx.policy.known_device_secs - 1);
        let mut devices: Vec<(UnixTime, u8, u8)> = vec![];
        let mut kept = BTreeSet::new();
        for h in &account.holdings {
            match h.kind {
                Kind::ResetLink { expires } if at(expires) <= now => {}
                Kind::ResetLink { expires } => {
                    kept.insert(Holding {
                        kind: Kind::ResetLink {
                            expires: at(expires),
                        },
                        epoch: h.epoch,
                    });
                }
                Kind::KnownDevice { id, since } => {
                    devices.push((at(since).max(stale), id, h.epoch));
                }
                _ => {
                    kept.insert(*h);
                }
            }
        }
        // device ids named in the order of their age
        devices.sort();
        let mut renamed = [None; 2];
        for (new, (since, id, epoch)) in devices.iter().enumerate() {
            let new = u8::try_from(new).unwrap_or(u8::MAX);
            for (b, browser) in self.browsers.iter().enumerate() {
                if browser.device == Some(*id) {
                    renamed[b] = Some(new);
                }
            }
            kept.insert(Holding {
                kind: Kind::KnownDevice {
                    id: new,
                    since: *since,
                },
                epoch: *epoch,
            });
        }
        for (b, browser) in self.browsers.iter_mut().enumerate() {
            // a cookie that names no device is as good as none
            browser.device = renamed[b];
        }
        // only "before the last reset" or "since" matters
        let current = account.epoch;
        let epoch = |e: u8| u8::from(e == current && current > 0);
        account.holdings = kept
            .into_iter()
            .map(|h| Holding {
                kind: h.kind,
                epoch: epoch(h.epoch),
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        account.refresh = account
            .refresh
            .iter()
            .map(|(who, e)| (*who, epoch(*e)))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        account.epoch = u8::from(current > 0);
    }

    // ---- time --------------------------------------------------------------

    /// Every future moment at which something changes by itself: a code, a
    /// link, a wait, a case or a known device runs out.
    pub fn deadlines(&self, ctx: &Ctx) -> Vec<UnixTime> {
        let mut found = vec![];
        for c in self.cases.iter().filter(|c| c.facts.state.is_open()) {
            found.push(c.facts.expires_at);
            found.extend(c.facts.ready_at);
            found.extend(c.code_until);
        }
        for h in &self.account.holdings {
            match h.kind {
                Kind::ResetLink { expires } => found.push(expires),
                Kind::KnownDevice { since, .. } => {
                    found.push(since.plus(ctx.policy.known_device_secs + 1));
                }
                _ => {}
            }
        }
        found.extend(ctx.rules.deadline(self.account.password_reset_at));
        found.retain(|at| *at > self.now);
        found
    }

    /// The clock moves to `to`; housekeeping applies time to every stored
    /// case (`journey::housekeeping`).
    pub fn advance(&mut self, ctx: &Ctx, to: UnixTime) {
        self.now = to;
        for i in 0..self.cases.len() {
            let _ = self.transition(ctx, i, Event::Tick, Path::Other, false);
        }
    }
}
