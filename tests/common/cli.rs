//! The `spinewise` binary in a sandbox: every run is the real binary
//! (`CARGO_BIN_EXE_spinewise`) with a private data directory in a temporary directory of its
//! own (so that no test reads or writes a real profile or journal, or another test's) and
//! with standard input closed or piped (so that no test waits for a terminal).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use tempfile::TempDir;

/// What one run of the binary came to.
#[derive(Debug)]
pub struct Run {
    pub args: Vec<String>,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn describe(&self) -> String {
        format!(
            "`spinewise {}` (exit {:?})\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }

    /// Asserts that the run succeeded.
    #[track_caller]
    pub fn ok(&self) -> &Run {
        assert_eq!(self.code, Some(0), "failed: {}", self.describe());
        self
    }

    /// Asserts that the run succeeded and parses its standard output as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        self.ok();
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("invalid JSON ({e}): {}", self.describe()))
    }

    /// Asserts a usage error: exit code 2, nothing on standard output, and exactly one
    /// non-empty line on standard error that contains every one of `needles`. Returns the line.
    #[track_caller]
    pub fn usage_error(&self, needles: &[&str]) -> &str {
        assert_eq!(
            self.code,
            Some(2),
            "should fail with exit code 2: {}",
            self.describe()
        );
        assert!(
            self.stdout.is_empty(),
            "printed on stdout: {}",
            self.describe()
        );
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "should print exactly one line on stderr: {}",
            self.describe()
        );
        let line = lines[0];
        assert!(!line.trim().is_empty(), "the error line is empty");
        for needle in needles {
            assert!(
                line.contains(needle),
                "the error should contain {needle:?}: {}",
                self.describe()
            );
        }
        line
    }
}

/// A private temporary directory for one test, and the binary run against it.
#[derive(Debug)]
pub struct Sandbox {
    dir: TempDir,
}

impl Default for Sandbox {
    fn default() -> Sandbox {
        Sandbox::new()
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    /// The data directory given to the binary. It does not exist until something is saved.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A file in the test's directory (beside the data directory).
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The local journal's file: `journal.db` in the data directory.
    pub fn journal_file(&self) -> PathBuf {
        self.data_dir().join("journal.db")
    }

    /// A home directory of the sandbox's own (`HOME` and the XDG directories), so that nothing
    /// the binary might look up there is the real one.
    fn home(&self) -> [(&'static str, PathBuf); 3] {
        let home = self.path("home");
        [
            ("XDG_DATA_HOME", home.join(".local/share")),
            ("XDG_CONFIG_HOME", home.join(".config")),
            ("HOME", home),
        ]
    }

    /// `spinewise ARGS` with the data directory in `SPINEWISE_DATA_DIR`, output captured.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_spinewise"));
        command
            .args(args)
            .env("SPINEWISE_DATA_DIR", self.data_dir())
            .envs(self.home())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    pub fn finish(args: &[&str], output: std::process::Output) -> Run {
        Run {
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            code: output.status.code(),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }

    /// Runs `spinewise ARGS` with standard input closed.
    pub fn run(&self, args: &[&str]) -> Run {
        let output = self
            .command(args)
            .stdin(Stdio::null())
            .output()
            .expect("the binary runs");
        Sandbox::finish(args, output)
    }

    /// Runs `spinewise ARGS` with `input` piped to standard input.
    pub fn run_with_stdin(&self, args: &[&str], input: &str) -> Run {
        let mut child = self
            .command(args)
            .stdin(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        {
            let mut stdin = child.stdin.take().expect("a pipe to stdin");
            // The input is far smaller than a pipe's buffer; if the program exits without
            // reading all of it the write fails with a broken pipe, which the assertions on
            // its output then explain better than a panic here.
            let _ = stdin.write_all(input.as_bytes());
        }
        let output = child.wait_with_output().expect("the binary finishes");
        Sandbox::finish(args, output)
    }

    /// Runs `spinewise ARGS --json`, asserts success and returns the JSON.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        self.run(&args).json()
    }

    /// Runs `spinewise --data-dir DIR ARGS` for the local journal: the passphrase in
    /// `SPINEWISE_JOURNAL_PASSPHRASE`, no journal, data directory or database from the
    /// environment, standard input closed.
    pub fn run_with_passphrase(&self, passphrase: &str, args: &[&str]) -> Run {
        let data_dir = self.data_dir();
        let mut all = vec!["--data-dir", path_str(&data_dir)];
        all.extend_from_slice(args);
        let output = Command::new(env!("CARGO_BIN_EXE_spinewise"))
            .args(&all)
            .env("SPINEWISE_JOURNAL_PASSPHRASE", passphrase)
            .env_remove("SPINEWISE_JOURNAL")
            .env_remove("SPINEWISE_DATA_DIR")
            .env_remove("SPINEWISE_DATABASE_URL")
            .envs(self.home())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .expect("the binary runs");
        Sandbox::finish(args, output)
    }

    /// The saved profile according to `profile show --json` (`null` if there is none).
    pub fn saved_profile(&self) -> Value {
        let shown = self.json(&["profile", "show"]);
        assert_eq!(
            shown["path"].as_str().map(PathBuf::from),
            Some(self.data_dir().join("profile.json")),
            "the profile lives in the data directory"
        );
        shown["profile"].clone()
    }

    /// Writes an answers file (or any text) into the test's directory and returns its path.
    pub fn write_file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("the file is written");
        path
    }

    /// Writes `answers` as an answers file and returns its path.
    pub fn write_answers(&self, name: &str, answers: &Value) -> PathBuf {
        let text = serde_json::to_string_pretty(answers).expect("answers encode");
        self.write_file(name, &text)
    }
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}
