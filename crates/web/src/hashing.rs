//! The bounded password-hashing pool.
//!
//! `workers` dedicated threads hash, each keeping its argon2 working memory
//! between hashes; at most `queue` more requests wait. Anything beyond is
//! refused at once with [`Error::Overloaded`], which the web layer answers with
//! 503 and `Retry-After`, so an overload never becomes an unbounded queue and
//! the async event loop never runs a hash.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use latchkey_core::Error;
use latchkey_core::accounts::password::{
    self, HashParams, Password, PasswordWorker, Scratch, Verification,
};
use latchkey_core::platform::random::{Random, bytes};
use tokio::sync::{Semaphore, oneshot};

type Job = Box<dyn FnOnce(&mut Scratch) + Send>;

#[derive(Clone)]
pub struct HashPool {
    inner: Arc<Inner>,
}

struct Inner {
    params: HashParams,
    admission: Arc<Semaphore>,
    jobs: mpsc::Sender<Job>,
    /// Verified against when there is no real hash, so unknown accounts cost
    /// the same as known ones.
    dummy: String,
    random: Arc<dyn Random>,
    rejected: AtomicU64,
    completed: Arc<AtomicU64>,
    capacity: usize,
}

impl std::fmt::Debug for HashPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HashPool")
            .field("params", &self.inner.params)
            .field("capacity", &self.inner.capacity)
            .finish()
    }
}

fn busy() -> Error {
    Error::Overloaded {
        retry_after_secs: 1,
    }
}

impl HashPool {
    /// Starts `workers` hashing threads; they end when the last clone of the
    /// pool is dropped.
    pub fn new(
        params: HashParams,
        workers: usize,
        queue: usize,
        random: Arc<dyn Random>,
    ) -> Result<HashPool, Error> {
        let workers = workers.max(1);
        let dummy_password = Password::presented(&latchkey_core::platform::secret::b64url(
            &bytes::<16>(&*random),
        ));
        let dummy = password::hash(params, &dummy_password, bytes::<16>(&*random))?;
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let completed = Arc::new(AtomicU64::new(0));
        for i in 0..workers {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{i}"))
                .spawn(move || {
                    let mut scratch = Scratch::default();
                    loop {
                        let job = match rx.lock() {
                            Ok(guard) => guard.recv(),
                            Err(poisoned) => poisoned.into_inner().recv(),
                        };
                        let Ok(job) = job else { return };
                        job(&mut scratch);
                    }
                })
                .map_err(|e| {
                    Error::invalid(
                        "password.hash_workers",
                        format!("cannot start a hashing thread: {e}"),
                    )
                })?;
        }
        Ok(HashPool {
            inner: Arc::new(Inner {
                params,
                admission: Arc::new(Semaphore::new(workers + queue)),
                jobs: tx,
                dummy,
                random,
                rejected: AtomicU64::new(0),
                completed,
                capacity: workers + queue,
            }),
        })
    }

    pub fn params(&self) -> HashParams {
        self.inner.params
    }

    /// Requests refused because the queue was full, since start.
    pub fn rejected(&self) -> u64 {
        self.inner.rejected.load(Ordering::Relaxed)
    }

    /// Hashes and verifications computed since start (dummy ones included).
    pub fn completed(&self) -> u64 {
        self.inner.completed.load(Ordering::Relaxed)
    }

    /// Hashes running or waiting right now.
    pub fn in_use(&self) -> usize {
        self.inner.capacity - self.inner.admission.available_permits()
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Scratch) -> T + Send + 'static,
    ) -> Result<T, Error> {
        let Ok(admitted) = self.inner.admission.clone().try_acquire_owned() else {
            self.inner.rejected.fetch_add(1, Ordering::Relaxed);
            return Err(busy());
        };
        let (tx, rx) = oneshot::channel();
        let span = tracing::Span::current();
        let completed = self.inner.completed.clone();
        let job: Job = Box::new(move |scratch| {
            // A panicking job loses its answer (the caller sees "busy"), never
            // the thread that ran it.
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                span.in_scope(|| work(scratch))
            }));
            // counted before the caller can see the result
            completed.fetch_add(1, Ordering::Relaxed);
            drop(admitted);
            if let Ok(result) = result {
                let _receiver_gone = tx.send(result);
            }
        });
        self.inner.jobs.send(job).map_err(|_| busy())?;
        rx.await.map_err(|_| busy())
    }
}

impl PasswordWorker for HashPool {
    fn has_capacity(&self) -> bool {
        self.inner.admission.available_permits() > 0
    }

    async fn hash(&self, password: Password) -> Result<String, Error> {
        let params = self.inner.params;
        let salt = bytes::<16>(&*self.inner.random);
        self.run(move |scratch| password::hash_with(scratch, params, &password, salt))
            .await?
    }

    async fn verify(
        &self,
        stored: Option<String>,
        password: Password,
    ) -> Result<Verification, Error> {
        let params = self.inner.params;
        let real = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.inner.dummy.clone());
        let verification = self
            .run(move |scratch| password::verify_with(scratch, &stored, &password, params))
            .await?;
        Ok(if real {
            verification
        } else {
            Verification::Mismatch
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use latchkey_core::platform::random::OsRandom;

    const CHEAP: HashParams = HashParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    #[tokio::test]
    async fn hashes_verifies_and_uses_a_dummy_for_unknown_users() {
        let pool = HashPool::new(CHEAP, 1, 1, Arc::new(OsRandom)).unwrap();
        let pw = Password::presented("correct horse battery");
        let phc = pool.hash(pw.clone()).await.unwrap();
        assert!(pool.verify(Some(phc), pw.clone()).await.unwrap().is_match());
        assert_eq!(pool.verify(None, pw).await.unwrap(), Verification::Mismatch);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_is_refused_at_once() {
        let slow = HashParams {
            memory_kib: 19456,
            iterations: 8,
            parallelism: 1,
        };
        let pool = HashPool::new(slow, 1, 1, Arc::new(OsRandom)).unwrap();
        let mut tasks = vec![];
        for _ in 0..6 {
            let pool = pool.clone();
            tasks.push(tokio::spawn(async move {
                pool.hash(Password::presented("correct horse battery"))
                    .await
            }));
        }
        let mut overloaded = 0;
        for task in tasks {
            if let Err(Error::Overloaded { .. }) = task.await.unwrap() {
                overloaded += 1;
            }
        }
        assert!(
            overloaded >= 3,
            "only {overloaded} of 6 refused with capacity 2"
        );
        assert_eq!(pool.rejected(), overloaded);
        assert_eq!(pool.in_use(), 0);
    }
}
