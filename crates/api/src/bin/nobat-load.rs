//! `nobat-load`: Nobat's own load tool for the scenarios `wrk` cannot express (issue #9): a
//! bounded number of attempts that all start at the same instant, each answer classified and
//! timed, and the database's state checked afterwards through the public API.
//!
//! ```text
//! nobat-load --base http://127.0.0.1:8080 flash-crowd --branch mary --attempts 10240 --seats 1000
//! ```
//!
//! `flash-crowd` is the morning a month of days is released: `--seats` free seats (the first free
//! slots of the branch, with any seats beyond the exact number held first so that exactly
//! `--seats` are left) and `--attempts` citizens, each with their own passport, who all press
//! "book" at once on a slot of those, `--clients` at a time. It checks that exactly `--seats`
//! holds were made, that every other answer was a clean 409 or 429, that no request failed or
//! timed out, and that the slots show no free seat afterwards; it prints the latencies and how
//! long the seats lasted, and exits 1 when a check fails.
//!
//! `board` is the queue's display board during such a run: it listens for calls on one instance
//! while an operator calls the next citizen through another, and checks the call arrives.
//!
//! Loopback only: the tool refuses any other host.

use chrono::{Duration as Days, Utc};
use clap::{Parser, Subcommand};
use serde_json::{json, Value};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    name = "nobat-load",
    about = "Load scenarios against a Nobat server on 127.0.0.1"
)]
struct Cli {
    /// The server's base address (loopback only).
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    base: String,
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Subcommand)]
enum Scenario {
    /// Release-time flash crowd: many attempts at once for a fixed number of seats.
    FlashCrowd {
        /// The branch whose first free seats are released.
        #[arg(long, default_value = "mary")]
        branch: String,
        #[arg(long, default_value = "passport-international")]
        service: String,
        /// How many citizens try (each once, with their own passport).
        #[arg(long, default_value_t = 10_240)]
        attempts: usize,
        /// How many seats are free when the crowd arrives.
        #[arg(long, default_value_t = 1_000)]
        seats: u32,
        /// Requests in flight at once (each client keeps its connection).
        #[arg(long, default_value_t = 64)]
        clients: usize,
        /// A request that takes longer counts as a timeout.
        #[arg(long, default_value_t = 10)]
        timeout_secs: u64,
    },
    /// A display board on this instance (`--base`) while an operator calls a citizen through
    /// another (`--caller`): the call must reach the board, and how long it took is printed.
    Board {
        /// Where the operator works (loopback only).
        #[arg(long)]
        caller: String,
        #[arg(long, default_value = "mary")]
        branch: String,
        #[arg(long, default_value = "operator.mary")]
        username: String,
        #[arg(long, default_value = "demo-operator-2026")]
        password: String,
        /// Wait this long after the board is connected before calling (e.g. into a load run).
        #[arg(long, default_value_t = 0)]
        delay_ms: u64,
        /// The call must reach the board within this.
        #[arg(long, default_value_t = 10)]
        timeout_secs: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = loopback_only(&cli.base) {
        eprintln!("nobat-load: {e}");
        return ExitCode::from(2);
    }
    let base = cli.base.trim_end_matches('/').to_owned();
    let result = match cli.scenario {
        Scenario::Board {
            caller,
            branch,
            username,
            password,
            delay_ms,
            timeout_secs,
        } => loopback_only(&caller).and_then(|()| {
            board(&Board {
                board: base,
                caller: caller.trim_end_matches('/').to_owned(),
                branch,
                username,
                password,
                delay: Duration::from_millis(delay_ms),
                timeout: Duration::from_secs(timeout_secs.max(1)),
            })
        }),
        Scenario::FlashCrowd {
            branch,
            service,
            attempts,
            seats,
            clients,
            timeout_secs,
        } => flash_crowd(&FlashCrowd {
            base,
            branch,
            service,
            attempts,
            seats,
            clients: clients.max(1),
            timeout: Duration::from_secs(timeout_secs.max(1)),
        }),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("nobat-load: {e}");
            ExitCode::from(2)
        }
    }
}

fn loopback_only(base: &str) -> Result<(), String> {
    let rest = base
        .strip_prefix("http://")
        .ok_or_else(|| format!("{base}: only plain http:// on loopback"))?;
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    let host = host
        .rsplit_once(':')
        .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
        .map_or(host, |(host, _)| host);
    if matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
        Ok(())
    } else {
        Err(format!("{host}: load is only sent to 127.0.0.1"))
    }
}

struct FlashCrowd {
    base: String,
    branch: String,
    service: String,
    attempts: usize,
    seats: u32,
    clients: usize,
    timeout: Duration,
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_idle_connections_per_host(4)
        .build()
        .into()
}

/// The free seats of the branch's next 31 days: (start, seats left), earliest first.
fn free_slots(agent: &ureq::Agent, run: &FlashCrowd) -> Result<Vec<(String, u32)>, String> {
    let today = (Utc::now() + Days::hours(5)).date_naive();
    let url = format!(
        "{}/api/v1/branches/{}/availability?service={}&from={today}&to={}",
        run.base,
        run.branch,
        run.service,
        today + Days::days(30)
    );
    let mut response = agent.get(&url).call().map_err(|e| format!("{url}: {e}"))?;
    let body = response
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .map_err(|e| format!("{url}: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("{url}: HTTP {}: {body}", response.status()));
    }
    let value: Value = serde_json::from_str(&body).map_err(|e| format!("{url}: {e}"))?;
    let mut slots = Vec::new();
    for day in value["days"].as_array().into_iter().flatten() {
        for slot in day["slots"].as_array().into_iter().flatten() {
            let remaining = slot["remaining"].as_u64().unwrap_or(0);
            if let (Some(start), true) = (slot["start"].as_str(), remaining > 0) {
                slots.push((
                    start.to_owned(),
                    u32::try_from(remaining).unwrap_or(u32::MAX),
                ));
            }
        }
    }
    Ok(slots)
}

fn booking(run: &FlashCrowd, start: &str, passport: &str) -> String {
    json!({
        "branch": run.branch,
        "service": run.service,
        "start": start,
        "applicant": {
            "surname": "Amanow",
            "given_name": "Merdan",
            "date_of_birth": "1990-05-17",
            "phone": "+99365123456",
            "passport": {
                "number": passport,
                "issued_on": "2020-01-01",
                "issued_by": "Mary",
                "expires_on": "2035-01-01"
            }
        }
    })
    .to_string()
}

/// How an attempt ended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Answer {
    Created,
    Conflict,
    Limited,
    ServerError,
    Other(u16),
    Timeout,
    Failed,
}

fn attempt(agent: &ureq::Agent, url: &str, body: &str) -> Answer {
    match agent
        .post(url)
        .header("content-type", "application/json")
        .send(body)
    {
        Ok(mut response) => {
            // Read the answer whole so that the connection is kept for the next request.
            let _ = response.body_mut().read_to_string();
            match response.status().as_u16() {
                201 => Answer::Created,
                409 => Answer::Conflict,
                429 => Answer::Limited,
                s if s >= 500 => Answer::ServerError,
                s => Answer::Other(s),
            }
        }
        Err(ureq::Error::Timeout(_)) => Answer::Timeout,
        Err(_) => Answer::Failed,
    }
}

/// A small deterministic generator (xorshift64*): which slot each citizen picks.
fn picks(count: usize, slots: usize, mut state: u64) -> Vec<usize> {
    (0..count)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            let x = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
            usize::try_from(x % slots as u64).unwrap_or(0)
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn flash_crowd(run: &FlashCrowd) -> Result<bool, String> {
    let setup = agent(Duration::from_secs(30));
    let free = free_slots(&setup, run)?;
    // The first free slots until they hold the seats; the excess is held first, so that the
    // crowd finds exactly `seats` free seats.
    let mut chosen: Vec<(String, u32)> = Vec::new();
    let mut total = 0u32;
    for slot in free {
        if total >= run.seats {
            break;
        }
        total += slot.1;
        chosen.push(slot);
    }
    if total < run.seats {
        return Err(format!(
            "{} has only {total} free seats in 31 days, fewer than {}",
            run.branch, run.seats
        ));
    }
    let batch = u64::try_from(Utc::now().timestamp()).unwrap_or(0);
    let url = format!("{}/api/v1/bookings", run.base);
    let excess = total - run.seats;
    if let Some((start, _)) = chosen.last().cloned() {
        for i in 0..excess {
            let passport = format!("WX{:04}{i:05}", batch % 10_000);
            match attempt(&setup, &url, &booking(run, &start, &passport)) {
                Answer::Created => {}
                _ => return Err(format!("could not hold the excess seat {i} at {start}")),
            }
        }
    }
    let starts: Vec<String> = chosen.iter().map(|(s, _)| s.clone()).collect();
    let bodies: Vec<String> = picks(run.attempts, starts.len(), batch | 1)
        .into_iter()
        .enumerate()
        .map(|(i, slot)| {
            let passport = format!("FC{:04}{i:05}", batch % 10_000);
            booking(run, &starts[slot], &passport)
        })
        .collect();
    println!(
        "flash crowd at {}: {} attempts, {} clients, {} seats in {} slots (excess {excess} held first)",
        run.branch,
        run.attempts,
        run.clients,
        run.seats,
        starts.len()
    );

    let bodies = Arc::new(bodies);
    let next = Arc::new(AtomicUsize::new(0));
    let barrier = Arc::new(Barrier::new(run.clients + 1));
    let results: Arc<Mutex<Vec<(Answer, Duration, Instant)>>> =
        Arc::new(Mutex::new(Vec::with_capacity(run.attempts)));
    let mut threads = Vec::new();
    for _ in 0..run.clients {
        let (bodies, next, barrier, results) = (
            bodies.clone(),
            next.clone(),
            barrier.clone(),
            results.clone(),
        );
        let url = url.clone();
        let agent = agent(run.timeout);
        threads.push(std::thread::spawn(move || {
            let mut mine = Vec::new();
            barrier.wait();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(body) = bodies.get(i) else { break };
                let sent = Instant::now();
                let answer = attempt(&agent, &url, body);
                let done = Instant::now();
                mine.push((answer, done - sent, done));
            }
            if let Ok(mut all) = results.lock() {
                all.extend(mine);
            }
        }));
    }
    barrier.wait();
    let t0 = Instant::now();
    for thread in threads {
        thread
            .join()
            .map_err(|_| "a client thread panicked".to_owned())?;
    }
    let results: Vec<(Answer, Duration, Duration)> = results
        .lock()
        .map_err(|_| "results poisoned".to_owned())?
        .iter()
        .map(|&(answer, took, done)| (answer, took, done.saturating_duration_since(t0)))
        .collect();
    let elapsed = results.iter().map(|r| r.2).max().unwrap_or(Duration::ZERO);

    let count = |a: Answer| results.iter().filter(|r| r.0 == a).count();
    let created = count(Answer::Created);
    let conflict = count(Answer::Conflict);
    let limited = count(Answer::Limited);
    let server_errors = count(Answer::ServerError);
    let timeouts = count(Answer::Timeout);
    let failed = count(Answer::Failed);
    let other: Vec<u16> = results
        .iter()
        .filter_map(|r| match r.0 {
            Answer::Other(s) => Some(s),
            _ => None,
        })
        .collect();
    let mut latencies: Vec<Duration> = results.iter().map(|r| r.1).collect();
    latencies.sort_unstable();
    let sold_out = results
        .iter()
        .filter(|r| r.0 == Answer::Created)
        .map(|r| r.2)
        .max()
        .unwrap_or(Duration::ZERO);
    let left: u32 = free_slots(&setup, run)?
        .into_iter()
        .filter(|(start, _)| starts.contains(start))
        .map(|(_, remaining)| remaining)
        .sum();
    let rps = results.len() as f64 / elapsed.as_secs_f64().max(1e-9);

    println!(
        "answers: created={created} conflict={conflict} limited={limited} 5xx={server_errors} \
         other={} timeouts={timeouts} failed={failed}",
        other.len()
    );
    println!(
        "latency ms: p50={:.1} p99={:.1} max={:.1}; sold out after {:.0} ms; all answered after {:.0} ms ({rps:.0} req/s); seats left {left}",
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 99.0)),
        ms(latencies.last().copied().unwrap_or_default()),
        ms(sold_out),
        ms(elapsed),
    );
    println!(
        "flash_crowd created={created} 5xx={server_errors} timeouts={timeouts} p50_ms={:.1} p99_ms={:.1} sold_out_ms={:.0} rps={rps:.0}",
        ms(percentile(&latencies, 50.0)),
        ms(percentile(&latencies, 99.0)),
        ms(sold_out)
    );
    let mut ok = true;
    let mut check = |passed: bool, what: String| {
        println!("{} {what}", if passed { "ok  " } else { "FAIL" });
        ok &= passed;
    };
    check(
        created == run.seats as usize,
        format!("exactly {} holds (made {created})", run.seats),
    );
    check(
        created + conflict + limited == run.attempts,
        format!(
            "every other attempt a clean 409/429 ({} were not)",
            run.attempts - (created + conflict + limited).min(run.attempts)
        ),
    );
    check(
        server_errors == 0 && timeouts == 0 && failed == 0,
        format!("no 5xx ({server_errors}), no timeout ({timeouts}), no failed request ({failed})"),
    );
    check(
        left == 0,
        format!("no seat left in the released slots ({left})"),
    );
    if !other.is_empty() {
        println!("other statuses: {other:?}");
    }
    Ok(ok)
}

struct Board {
    board: String,
    caller: String,
    branch: String,
    username: String,
    password: String,
    delay: Duration,
    timeout: Duration,
}

/// A JSON request with the session cookie; the answer's body, or what went wrong.
fn staff_call(
    agent: &ureq::Agent,
    url: &str,
    session: &str,
    body: Option<Value>,
) -> Result<Value, String> {
    let cookie = format!("nobat_session={session}");
    let answer = match body {
        Some(body) => agent
            .post(url)
            .header("cookie", &cookie)
            .header("content-type", "application/json")
            .send(body.to_string()),
        None => agent.get(url).header("cookie", &cookie).call(),
    };
    let mut response = answer.map_err(|e| format!("{url}: {e}"))?;
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("{url}: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("{url}: HTTP {}: {text}", response.status()));
    }
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn board(run: &Board) -> Result<bool, String> {
    use std::io::BufRead;
    let agent = agent(run.timeout + run.delay + Duration::from_secs(10));
    // The board connects first and waits for its greeting.
    let events_url = format!("{}/api/v1/branches/{}/board/events", run.board, run.branch);
    let mut events = agent
        .get(&events_url)
        .call()
        .map_err(|e| format!("{events_url}: {e}"))?;
    if !events.status().is_success() {
        return Err(format!("{events_url}: HTTP {}", events.status()));
    }
    let mut lines = std::io::BufReader::new(events.body_mut().as_reader()).lines();
    let mut next_line = || -> Result<String, String> {
        lines
            .next()
            .ok_or("the board's stream ended")?
            .map_err(|e| format!("the board's stream: {e}"))
    };
    while !next_line()?.contains("connected") {}

    // The operator logs in on the other instance, opens a counter and registers a walk-in.
    let login_url = format!("{}/api/v1/auth/login", run.caller);
    let login = agent
        .post(&login_url)
        .header("content-type", "application/json")
        .send(json!({"username": run.username, "password": run.password}).to_string())
        .map_err(|e| format!("{login_url}: {e}"))?;
    let session = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix("nobat_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
        .ok_or_else(|| format!("{login_url}: HTTP {}, no session", login.status()))?;
    let staff = |path: &str, body: Option<Value>| {
        staff_call(
            &agent,
            &format!("{}/api/v1/staff/branches/{}/{path}", run.caller, run.branch),
            &session,
            body,
        )
    };
    let counters = staff("counters", None)?;
    let (counter, service) = counters
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|c| Some((c["number"].as_i64()?, c["services"][0].as_str()?.to_owned())))
        .ok_or("the branch has no counter serving anything")?;
    staff(&format!("counters/{counter}/open"), Some(json!({})))?;
    staff("walk-ins", Some(json!({"service": service})))?;
    std::thread::sleep(run.delay);

    let called_at = Instant::now();
    let called = staff(&format!("counters/{counter}/call-next"), Some(json!({})))?;
    let number = called["number"]
        .as_str()
        .ok_or_else(|| format!("call-next gave no number: {called}"))?
        .to_owned();
    let mut event = String::new();
    loop {
        if called_at.elapsed() > run.timeout {
            println!("board_event reached=false number={number}");
            return Ok(false);
        }
        let line = next_line()?;
        if line.starts_with("event:") {
            event = line;
        } else if event.contains("call") && line.starts_with("data:") && line.contains(&number) {
            break;
        }
    }
    println!(
        "board_event reached=true number={number} ms={:.1} board={} caller={}",
        ms(called_at.elapsed()),
        run.board,
        run.caller
    );
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_is_loaded() {
        assert!(loopback_only("http://127.0.0.1:8080").is_ok());
        assert!(loopback_only("http://localhost:1/x").is_ok());
        assert!(loopback_only("http://[::1]:80").is_ok());
        assert!(loopback_only("http://10.0.0.1:8080").is_err());
        assert!(loopback_only("https://127.0.0.1").is_err());
        assert!(loopback_only("http://127.0.0.1.example.com").is_err());
    }

    #[test]
    fn picks_spread_over_every_slot() {
        let p = picks(10_240, 334, 7);
        assert_eq!(p.len(), 10_240);
        assert!(p.iter().all(|&s| s < 334));
        let mut seen = [0u32; 334];
        for s in p {
            seen[s] += 1;
        }
        assert!(seen.iter().all(|&n| n >= 3), "{seen:?}");
    }

    #[test]
    fn percentiles_take_the_rank() {
        let d: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&d, 50.0), Duration::from_millis(50));
        assert_eq!(percentile(&d, 99.0), Duration::from_millis(99));
        assert_eq!(percentile(&[], 99.0), Duration::ZERO);
    }
}
