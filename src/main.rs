//! `spinewise`: see the library for the commands.

fn main() -> std::process::ExitCode {
    spinewise::main_with(std::env::args_os())
}
