//! Runs the fake Domain service on its own, for the SDK's examples and for other languages' tests:
//! `cargo run -p domain-sdk-test-server -- --port 18080 --mode stateful [--fixture FILE] [--strict]`.

use domain_sdk_test_server::{Account, Mode, ServerConfig, TestServer};

const USAGE: &str = "usage: domain-sdk-test-server [--port N] [--mode examples|stateful] [--fixture FILE] [--strict]

  --port N        listen on 127.0.0.1:N (default: any free port; also from $PORT)
  --mode MODE     examples: answer every action with its reference example (the default);
                  stateful: one in-memory account that remembers domains, tasks, profiles, …
  --fixture FILE  seed the stateful account from a YAML or JSON fixture (implies --mode stateful)
  --strict        refuse parameters an action does not have (InvalidParameter)";

fn config(args: &[String]) -> Result<(u16, ServerConfig), String> {
    let mut port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(0);
    let mut config = ServerConfig::default();
    let mut mode = None;
    let mut fixture = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--port" => {
                let given = value()?;
                port = given
                    .parse()
                    .map_err(|_| format!("--port: {given:?} is not a port number"))?;
            }
            "--mode" => {
                mode = Some(match value()?.as_str() {
                    "examples" => Mode::Examples,
                    "stateful" => Mode::Stateful,
                    other => return Err(format!("--mode: {other:?} is neither examples nor stateful")),
                })
            }
            "--fixture" => fixture = Some(value()?.clone()),
            "--strict" => config.strict = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if let Some(path) = fixture {
        if mode == Some(Mode::Examples) {
            return Err("--fixture seeds the stateful account: it does not go with --mode examples".into());
        }
        let text = std::fs::read_to_string(&path).map_err(|e| format!("--fixture {path}: {e}"))?;
        config.account = Account::from_fixture(&text).map_err(|e| format!("--fixture {path}: {e}"))?;
        mode = Some(Mode::Stateful);
    }
    config.mode = mode.unwrap_or(Mode::Examples);
    Ok((port, config))
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (port, config) = match config(&args) {
        Ok(parsed) => parsed,
        Err(message) if message.is_empty() => {
            println!("{USAGE}");
            return;
        }
        Err(message) => {
            eprintln!("domain-sdk-test-server: {message}\n\n{USAGE}");
            std::process::exit(2);
        }
    };
    let mode = config.mode;
    let server = TestServer::start_on(port, config).await;
    // The first line is what scripts wait for; it is flushed at once (stdout is a pipe under a test harness).
    // A reader that closes the pipe after it is no reason to stop serving: write errors are ignored.
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "listening on {} (AccessKey {} / {})",
        server.endpoint(),
        domain_sdk_test_server::TEST_KEY_ID,
        domain_sdk_test_server::TEST_KEY_SECRET
    );
    let _ = writeln!(
        out,
        "mode: {}; stop with Ctrl-C",
        if mode == Mode::Stateful { "stateful" } else { "examples" }
    );
    let _ = writeln!(
        out,
        "try: ALIBABA_CLOUD_DOMAIN_ENDPOINT={} ALIBABA_CLOUD_ACCESS_KEY_ID=testid \\\n     ALIBABA_CLOUD_ACCESS_KEY_SECRET=testsecret cargo run -p domain-sdk --example list_domains",
        server.endpoint()
    );
    let _ = out.flush();
    drop(out);
    std::future::pending::<()>().await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn arguments() {
        let (port, c) = config(&args("--port 18080 --mode stateful --strict")).unwrap();
        assert_eq!((port, c.mode, c.strict), (18080, Mode::Stateful, true));
        assert_eq!(config(&args("")).unwrap().1.mode, Mode::Examples);
        assert!(config(&args("--port x")).unwrap_err().contains("not a port"));
        assert!(config(&args("--mode wild")).unwrap_err().contains("neither"));
        assert!(config(&args("--fixture /nonexistent/f.yaml"))
            .unwrap_err()
            .contains("/nonexistent/f.yaml"));
        assert!(config(&args("--bogus")).unwrap_err().contains("--bogus"));
        assert!(config(&args("--port")).unwrap_err().contains("needs a value"));
    }
}
