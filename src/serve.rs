//! `spinewise serve`: the one place that knows both the command line and the server. It turns
//! the command's arguments into the server's settings and runs it; the two never import each
//! other.

use std::path::PathBuf;

use anyhow::Context;

use crate::cli::args::{Cli, ServeArgs};
use crate::cli::output::Failure;
use crate::server;

/// `spinewise serve`: runs the web server until Ctrl-C or SIGTERM.
pub fn serve(cli: &Cli, args: &ServeArgs) -> Result<(), Failure> {
    let database_url = match &args.database_url {
        Some(url) => url.clone(),
        None => {
            let dir = crate::cli::output::data_dir(cli)?;
            crate::cli::profile::create_private_dir(&dir)?;
            format!("sqlite://{}", dir.join("spinewise.db").display())
        }
    };
    let settings = server::Settings {
        bind: args.bind,
        database_url,
        behind_proxy: args.behind_proxy,
        plan_cache: args.plan_cache,
        tls: match (&args.tls_cert, &args.tls_key) {
            (Some(cert), Some(key)) => Some(server::TlsFiles {
                cert: cert.clone(),
                key: key.clone(),
            }),
            _ => None,
        },
        coach_assets: coach_assets(args),
        coach_max_fps: server::web::coach::MAX_FRAMES_PER_SECOND,
        coach_idle_timeout: server::web::coach::IDLE_TIMEOUT,
        journal_quota: spinewise_store::JournalQuota::STANDARD,
        imports_per_hour: spinewise_app::accounts::MAX_IMPORTS_PER_WINDOW,
        emergency_number: args.emergency_number.clone(),
        connections: server::connections::ConnectionLimits::usual(args.behind_proxy),
        public_hosts: args.public_url.clone(),
    };
    server::telemetry::init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let app = server::Application::build(settings.clone()).await?;
        let addr = app.local_addr().unwrap_or(settings.bind);
        let scheme = if app.is_tls() { "https" } else { "http" };
        eprintln!("spinewise is running at {scheme}://{addr}/ (Ctrl-C to stop)");
        tracing::info!(%addr, backend = app.backend(), "listening");
        app.run_until_stopped().await
    })?;
    Ok(())
}

/// The motion coach's pose-estimation files: installed from the npm registry, by the lock
/// file in the browser packages' directory, on the first start that finds them missing.
fn coach_assets(args: &ServeArgs) -> PathBuf {
    let web_dir = args.web_dir.clone().unwrap_or_else(server::default_web_dir);
    let assets = server::coach_assets_in(&web_dir);
    if assets.join("pose.js").is_file() || args.no_npm {
        return assets;
    }
    if !web_dir.join("package-lock.json").is_file() {
        eprintln!(
            "The motion coach's files are not installed and there is no {} to install them from; the coach page will say so.",
            web_dir.join("package-lock.json").display()
        );
        return assets;
    }
    eprintln!(
        "Installing the motion coach's pose-estimation files into {} (npm ci, once)…",
        web_dir.join("node_modules").display()
    );
    let installed = std::process::Command::new("npm")
        .args([
            "ci",
            "--ignore-scripts",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ])
        .current_dir(&web_dir)
        .status();
    match installed {
        Ok(status) if status.success() => {}
        Ok(status) => eprintln!(
            "npm ci failed ({status}); the motion coach page will say its files are missing. Run `npm ci --ignore-scripts --prefix {}` to try again.",
            web_dir.display()
        ),
        Err(e) => eprintln!(
            "cannot run npm ({e}); install Node.js and npm, then run `npm ci --prefix {}` for the motion coach.",
            web_dir.display()
        ),
    }
    assets
}
