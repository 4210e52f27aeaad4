//! The web server over HTTP: the real application, started on a free port with its own
//! database, driven by an HTTP client (`tests/common/server.rs`). One module per part: the
//! API ([`api`]) and its contract ([`contract`]: a snapshot of every endpoint's answer), the
//! pages without JavaScript ([`pages`]), accounts, sessions, throttling and access control
//! between users ([`accounts`]), security headers ([`security`]), TLS ([`tls`]), connections that cannot be held open
//! ([`connections`]), several
//! instances on one PostgreSQL database, a graceful stop and a proxy ([`instances`]), the
//! journal ([`journal`]), the exercise program ([`program`]), the motion coach ([`coach`]),
//! the journal's FHIR export against the official schema ([`fhir`]), and the whole API tried
//! by schemathesis against its OpenAPI document ([`schemathesis`]).
//!
//! The PostgreSQL variants run when `SPINEWISE_TEST_POSTGRES_URL` is set, each in a schema of
//! its own that is dropped afterwards (`tests/common/postgres.rs`); without it they are listed
//! as ignored.

#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod api;
mod coach;
mod compression;
mod connections;
mod contract;
mod fhir;
mod instances;
mod journal;
mod pages;
mod program;
mod schemathesis;
mod security;
mod tls;

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};

use common::postgres::Schema;
use common::server::{Browser, TestApp, json_of, page_csrf, sign_up, tls};
