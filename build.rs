//! Sets `cfg(postgres_tests)` when `SPINEWISE_TEST_POSTGRES_URL` is set, so that the
//! PostgreSQL variants of the tests run then and are listed as ignored, with the reason,
//! otherwise (instead of passing without running). Nothing else: no dependencies.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(postgres_tests)");
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-env-changed=SPINEWISE_TEST_POSTGRES_URL");
    if std::env::var_os("SPINEWISE_TEST_POSTGRES_URL").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=postgres_tests");
    }
}
