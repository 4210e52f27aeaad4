//! What the test binaries share: the command-line sandbox ([`cli`]), the web server under test
//! and a browser for it ([`server`]), and one PostgreSQL schema per test ([`postgres`]).
//!
//! Each binary declares it with `mod common;` and uses what it needs; the imports of the
//! application's own modules (`spinewise::…`) are kept here, in [`server`].

#![allow(dead_code)]

pub mod cli;
pub mod postgres;
pub mod server;
