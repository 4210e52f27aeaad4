//! spinewise's storage: the only code that knows SQL.
//!
//! A [`Store`] keeps accounts, server-side sessions, profiles, API tokens, sign-in
//! throttling, wrapped data keys, the encrypted journal, linked partners' sealed shares and
//! the links made for clinicians in an embedded SQLite database (the default) or in PostgreSQL (for clinics that
//! run several server instances on one database). Both backends get the same schema and the
//! same behaviour; the conformance suite in `tests/` runs every test on both.
//!
//! It also keeps the server's own secrets (the key of the throttling records), so that every
//! instance on one database agrees on them.
//!
//! The store reads no clock and draws no secrets: the caller passes the time (unix seconds)
//! and hashes session and API tokens before they reach it, so that a copy of the database
//! signs nobody in and the tests are deterministic. The only randomness is the v4 UUID that
//! becomes a new user's id. Nor does it encrypt: wrapped keys and journal entries arrive
//! sealed, and the store keeps them as opaque bytes.

/// Runs the same statement on whichever pool the store holds.
///
/// The body is compiled once per backend, so each arm gets its own concrete database types and
/// the SQL text is shared. That works because SQLite accepts PostgreSQL's `$1` placeholders,
/// `ON CONFLICT … DO UPDATE` and `excluded.` as they are.
macro_rules! on_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            $crate::database::Pool::Sqlite($pool) => $body,
            $crate::database::Pool::Postgres($pool) => $body,
        }
    };
}

mod api_tokens;
mod clinician_shares;
mod database;
mod error;
mod group_commit;
mod ids;
mod journal;
mod keys;
mod partners;
mod profiles;
mod secrets;
mod sessions;
mod throttle;
mod users;

pub use api_tokens::{ApiToken, FoundApiToken, NewApiToken};
pub use clinician_shares::{ClinicianShare, FoundClinicianShare, NewClinicianShare, PinThrottle};
pub use database::Store;
pub use error::StoreError;
pub use ids::UserId;
pub use journal::{JournalQuota, JournalRow, JournalUsage};
pub use keys::{NewUserKeys, Resealed, Rotated, Rotation, UserKeys};
pub use partners::{
    Acceptance, Invitation, Link, MAX_OCCASIONS, Member, MemberColumn, NewInvitation, Occasion,
};
pub use profiles::{ProfileRecord, SealedProfile};
pub use sessions::{NewSession, Session};
pub use users::{NewUser, User};
