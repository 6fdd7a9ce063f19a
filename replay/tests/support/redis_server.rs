//! A real `redis-server` on a free loopback port, for one test (or the
//! benchmark), stopped when dropped (also when the test fails), and the
//! worker processes that share it.
#![allow(dead_code, reason = "the tests and the bench use a different part")]
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test harness: a server that cannot start is a failed test, never a skip"
)]

use core::time::Duration;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::Instant;

/// A running `redis-server` (`REDIS_SERVER` or the one on `PATH`).
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
}

impl RedisServer {
    /// Starts one on a free port: `--port N --bind 127.0.0.1 --save '' --appendonly no`.
    pub fn start() -> RedisServer {
        let program = std::env::var("REDIS_SERVER").unwrap_or_else(|_| "redis-server".to_owned());
        for _ in 0..5 {
            let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
            let child = Command::new(&program)
                .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot run {program} ({e}): `make test-replay` installs redis-server"));
            let mut server = RedisServer { child: Some(child), port };
            if server.wait_ready() {
                return server;
            }
            // Port taken between our probe and its bind: it exited; try another.
        }
        panic!("redis-server did not start");
    }

    fn wait_ready(&mut self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Some(child) = self.child.as_mut()
                && child.try_wait().expect("try_wait").is_some()
            {
                return false;
            }
            if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) {
                let mut answer = String::new();
                if stream.write_all(b"PING\r\n").is_ok()
                    && BufReader::new(stream).read_line(&mut answer).is_ok()
                    && answer == "+PONG\r\n"
                {
                    return true;
                }
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    /// `redis://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    /// The server's process id (to pause it).
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// A plain client connection, to look at what the store wrote.
    pub fn client(&self) -> redis::Connection {
        redis::Client::open(self.url()).and_then(|c| c.get_connection()).expect("connect to the test redis")
    }

    /// Kills the server and waits for it to exit.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A `hooksig-replay-worker` process, started and waiting for `go`.
pub struct Worker {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl Worker {
    /// Starts `worker` with `args` and waits until it printed `ready`.
    pub fn start(worker: &str, args: &[&str]) -> Worker {
        let mut child = Command::new(worker)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the worker");
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("worker output");
        assert_eq!(line, "ready\n", "the worker did not get ready");
        Worker { child, stdin, stdout }
    }

    /// Lets it run.
    pub fn go(&mut self) {
        let mut stdin = self.stdin.take().expect("go once");
        stdin.write_all(b"go\n").expect("tell the worker to go");
    }

    /// Everything it printed after `ready`; asserts it exited with success.
    pub fn finish(mut self) -> Vec<String> {
        let lines: Vec<String> = (&mut self.stdout).lines().map(|l| l.expect("worker output")).collect();
        let status = self.child.wait().expect("wait for the worker");
        assert!(status.success(), "worker failed: {status}");
        lines
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Only reached with the child still running when a test failed early.
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
