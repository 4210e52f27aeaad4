//! The API against its own OpenAPI document, tried by schemathesis: values generated from
//! every operation's schema, valid and invalid, and every check schemathesis has — no server
//! error, every status, content type, header and body as documented, valid requests accepted
//! and invalid ones refused. Once signed out and once with an API token of an account whose
//! journal holds a few entries.
//!
//! schemathesis comes from PyPI at the versions pinned in `tests/schemathesis/requirements.txt`,
//! installed on first run into a virtual environment under `target/` (it needs `python3` with
//! `venv` and `pip`); its settings are in `tests/schemathesis/schemathesis.toml`. The cases are
//! the same on every run (seed 1); `SPINEWISE_SCHEMATHESIS_SEED` picks others, and
//! `SPINEWISE_SKIP_SCHEMATHESIS=1` skips the test on a machine without Python, saying so.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;

use crate::common::server::{TestApp, create_token, sign_up};

/// The directory of the requirements and settings.
fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schemathesis")
}

/// The `st` program of a virtual environment holding exactly the pinned requirements, made
/// (or remade, when the requirements changed) under the target directory.
fn schemathesis() -> PathBuf {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("schemathesis-venv");
    let st = venv.join("bin/st");
    let requirements = dir().join("requirements.txt");
    let wanted = std::fs::read(&requirements).expect("tests/schemathesis/requirements.txt");
    let installed = venv.join("installed-requirements.txt");
    if st.exists() && std::fs::read(&installed).is_ok_and(|had| had == wanted) {
        return st;
    }
    let _ = std::fs::remove_dir_all(&venv);
    let run = |program: &Path, args: &[&str]| {
        let status = Command::new(program)
            .args(args)
            .status()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", program.display()));
        assert!(
            status.success(),
            "{} {} failed: the API contract test needs python3 with venv and pip \
             (apt-get install -y python3-venv python3-pip), or SPINEWISE_SKIP_SCHEMATHESIS=1",
            program.display(),
            args.join(" ")
        );
    };
    run(
        Path::new("python3"),
        &["-m", "venv", venv.to_str().expect("a UTF-8 path")],
    );
    run(
        &venv.join("bin/python"),
        &[
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "-r",
            requirements.to_str().expect("a UTF-8 path"),
        ],
    );
    std::fs::write(&installed, wanted).expect("the installed requirements are noted");
    st
}

/// Runs schemathesis against `app` with `headers`, asserting it finds nothing.
async fn run_against(st: &Path, app: &TestApp, headers: &[String], what: &str) {
    let seed = std::env::var("SPINEWISE_SCHEMATHESIS_SEED").unwrap_or_else(|_| "1".to_owned());
    let mut command = Command::new(st);
    command
        .arg("--config-file")
        .arg(dir().join("schemathesis.toml"))
        .args(["--no-color", "run", "--seed", &seed])
        .arg(app.url("/api/v1/openapi.json"))
        .env(
            "SPINEWISE_TODAY",
            spinewise_app::clock::server_today().to_string(),
        )
        .current_dir(env!("CARGO_TARGET_TMPDIR"));
    for h in headers {
        command.args(["-H", h]);
    }
    // Waited for off the runtime's thread, which goes on serving the app.
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("joined")
        .expect("schemathesis runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "schemathesis ({what}, seed {seed}) found problems:\n{stdout}\n{stderr}"
    );
    println!("schemathesis ({what}):\n{stdout}");
}

#[tokio::test]
async fn the_api_keeps_its_openapi_contract_signed_out_and_with_a_token() {
    if std::env::var_os("SPINEWISE_SKIP_SCHEMATHESIS").is_some() {
        eprintln!("SPINEWISE_SKIP_SCHEMATHESIS is set: the API contract test is skipped");
        return;
    }
    let st = tokio::task::spawn_blocking(schemathesis)
        .await
        .expect("schemathesis is installed");
    // Imports without the hourly limit, so that the import is tried, not only its 429.
    let app = TestApp::spawn_with(|s, _| s.imports_per_hour = u32::MAX).await;
    run_against(&st, &app, &[], "signed out").await;

    let account = sign_up(&app, "contract", "a long enough password").await;
    let token = create_token(&app.base, &account, "contract test").await;
    let client = reqwest::Client::new();
    for entry in [
        json!({"kind": "daily", "id": "day-1", "date": "2026-01-05", "pain_morning": 4}),
        json!({"kind": "peg", "id": "peg-1", "date": "2026-01-05", "pain": 5, "enjoyment": 4, "activity": 3}),
        json!({"kind": "exercise", "id": "move-1", "at": "2026-01-05T18:00", "what": "walk", "minutes": 20, "felt": "better"}),
    ] {
        let r = client
            .post(app.url("/api/v1/journal/entries"))
            .bearer_auth(&token)
            .json(&entry)
            .send()
            .await
            .expect("sent");
        assert!(
            r.status().is_success(),
            "{entry}: {}",
            r.text().await.unwrap_or_default()
        );
    }
    run_against(
        &st,
        &app,
        &[format!("Authorization: Bearer {token}")],
        "with an API token",
    )
    .await;
    app.stop().await;
}
