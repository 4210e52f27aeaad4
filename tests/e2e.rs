//! Runs the browser tests (`tests/e2e/*.test.mjs`) as part of `cargo test`: Debian's Chromium
//! driven by playwright-core from npm, against this build's binary.
//!
//! They need Node.js and Chromium (`apt-get install -y chromium nodejs npm`), and for the motion
//! coach's test ffmpeg and python3's pip (its fake camera plays a clip made from a demo video
//! on PyPI); the npm packages are installed from their lock files on first run. Where a
//! machine cannot run a browser, set `SPINEWISE_SKIP_E2E=1` to skip them explicitly; otherwise
//! a missing tool is a failure.

use std::path::Path;
use std::process::Command;

fn have(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_web_app_in_a_real_browser() {
    if std::env::var_os("SPINEWISE_SKIP_E2E").is_some() {
        eprintln!("SPINEWISE_SKIP_E2E is set: the browser tests are skipped");
        return;
    }
    let chromium =
        std::env::var("SPINEWISE_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    assert!(
        have("node", "--version") && have("npm", "--version"),
        "the browser tests need Node.js and npm (apt-get install -y nodejs npm), or SPINEWISE_SKIP_E2E=1"
    );
    assert!(
        Path::new(&chromium).exists(),
        "the browser tests need Chromium at {chromium} (apt-get install -y chromium), or SPINEWISE_SKIP_E2E=1"
    );
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e");
    if ["playwright-core", "axe-core"]
        .iter()
        .any(|package| !dir.join("node_modules").join(package).exists())
    {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .expect("npm runs");
        assert!(
            status.success(),
            "npm ci installs playwright-core and axe-core from the lock file"
        );
    }
    // The motion coach's pose-estimation files, which the server serves to the coach page.
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
    if !web.join("node_modules/@mediapipe/pose/pose.js").exists() {
        let status = Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .current_dir(&web)
            .status()
            .expect("npm runs");
        assert!(
            status.success(),
            "npm ci installs @mediapipe/pose from web/package-lock.json"
        );
    }
    let output = Command::new("node")
        .args(["--test", "--test-reporter=spec"])
        .current_dir(&dir)
        .env("SPINEWISE_BIN", env!("CARGO_BIN_EXE_spinewise"))
        .env("SPINEWISE_CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "browser tests failed:\n{stdout}\n{stderr}"
    );
}
