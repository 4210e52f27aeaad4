//! Secrets a person is shown once — a new recovery code, a new API token, a new link for a
//! clinician — kept in their
//! session between the form that made them and the page that shows them.
//!
//! The form answers with a redirect (post/redirect/get), so reloading the page shows the same
//! secret again instead of creating another account or token; the secret waits until the
//! person says they have saved it, or the session ends. It is stored sealed under a one-off
//! key wrapped with the session's cookie token, which the server keeps only as a hash: like
//! the session's copy of the journal key, a copy of the database cannot read it.

use std::fmt;

use serde::{Deserialize, Serialize};
use spinewise_vault::{self as vault, DataKey};

use crate::error::AppError;

/// What the sealed bytes are bound to, so that they open only as a secret shown once.
const AAD: &[u8] = b"spinewise shown-once v1";

/// A secret to show once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ShownOnce {
    /// The recovery code that opens the journal if the password is lost.
    RecoveryCode {
        /// The code, as the person should write it down.
        code: String,
        /// Whether the account was just created (else an older account just got its journal,
        /// or the person asked for a new code).
        new_account: bool,
        /// Whether it replaces a code the account had (which no longer works).
        #[serde(default)]
        replaced: bool,
        /// Whether it comes with a new data key: the journal and the profile were just
        /// re-sealed under it.
        #[serde(default)]
        key_changed: bool,
    },
    /// A new API token, shown once because only its hash is kept.
    ApiToken {
        /// The name the person gave it.
        name: String,
        /// The token itself.
        token: String,
    },
    /// A new link for a clinician, shown once because only a hash of its secret is kept.
    ShareLink {
        /// The link.
        url: String,
        /// When it stops opening (RFC 3339, UTC).
        expires_at: String,
        /// Whether it needs a PIN.
        has_pin: bool,
    },
}

impl fmt::Debug for ShownOnce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShownOnce::RecoveryCode {
                new_account,
                replaced,
                key_changed,
                ..
            } => f
                .debug_struct("RecoveryCode")
                .field("code", &"<redacted>")
                .field("new_account", new_account)
                .field("replaced", replaced)
                .field("key_changed", key_changed)
                .finish(),
            ShownOnce::ApiToken { name, .. } => f
                .debug_struct("ApiToken")
                .field("name", name)
                .field("token", &"<redacted>")
                .finish(),
            ShownOnce::ShareLink {
                expires_at,
                has_pin,
                ..
            } => f
                .debug_struct("ShareLink")
                .field("url", &"<redacted>")
                .field("expires_at", expires_at)
                .field("has_pin", has_pin)
                .finish(),
        }
    }
}

/// What waits in one session to be shown: at most one secret of each kind, so that a new API
/// token does not push out a recovery code not yet saved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting(Vec<ShownOnce>);

impl ShownOnce {
    fn same_kind(&self, other: &ShownOnce) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

impl Waiting {
    /// Nothing waiting.
    pub fn none() -> Waiting {
        Waiting::default()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// These secrets with `secret` added, in place of one of its kind.
    #[must_use]
    pub fn with(mut self, secret: ShownOnce) -> Waiting {
        self.0.retain(|s| !s.same_kind(&secret));
        self.0.push(secret);
        self
    }

    /// These secrets without the recovery code (it has been saved).
    #[must_use]
    pub fn without_recovery_code(mut self) -> Waiting {
        self.0
            .retain(|s| !matches!(s, ShownOnce::RecoveryCode { .. }));
        self
    }

    /// These secrets without the API token (it has been saved).
    #[must_use]
    pub fn without_api_token(mut self) -> Waiting {
        self.0.retain(|s| !matches!(s, ShownOnce::ApiToken { .. }));
        self
    }

    /// These secrets without the link for a clinician (it has been saved).
    #[must_use]
    pub fn without_share_link(mut self) -> Waiting {
        self.0.retain(|s| !matches!(s, ShownOnce::ShareLink { .. }));
        self
    }

    /// The link for a clinician waiting: the link, when it expires, and whether it needs a
    /// PIN.
    pub fn share_link(&self) -> Option<(&str, &str, bool)> {
        self.0.iter().find_map(|s| match s {
            ShownOnce::ShareLink {
                url,
                expires_at,
                has_pin,
            } => Some((url.as_str(), expires_at.as_str(), *has_pin)),
            _ => None,
        })
    }

    /// The recovery code waiting, whether the account is new, and whether the code replaces
    /// an earlier one.
    pub fn recovery_code(&self) -> Option<(&str, bool, bool)> {
        self.0.iter().find_map(|s| match s {
            ShownOnce::RecoveryCode {
                code,
                new_account,
                replaced,
                ..
            } => Some((code.as_str(), *new_account, *replaced)),
            _ => None,
        })
    }

    /// Whether the recovery code waiting comes with a new data key.
    pub fn key_changed(&self) -> bool {
        self.0.iter().any(|s| {
            matches!(
                s,
                ShownOnce::RecoveryCode {
                    key_changed: true,
                    ..
                }
            )
        })
    }

    /// The API token waiting, and its name.
    pub fn api_token(&self) -> Option<(&str, &str)> {
        self.0.iter().find_map(|s| match s {
            ShownOnce::ApiToken { name, token } => Some((name.as_str(), token.as_str())),
            _ => None,
        })
    }

    /// The secrets sealed for the session whose cookie holds `session_token`: a one-off key
    /// wrapped under the token (length-prefixed), then the secrets sealed under that key.
    ///
    /// # Errors
    ///
    /// [`AppError::Internal`] if the random source fails.
    pub fn seal(&self, session_token: &str) -> Result<Vec<u8>, AppError> {
        let key = DataKey::generate().map_err(failed)?;
        let wrapped = vault::wrap_with_token(&key, session_token.as_bytes()).map_err(failed)?;
        let plain = zeroize::Zeroizing::new(
            serde_json::to_vec(self).map_err(|e| AppError::Internal(e.into()))?,
        );
        let sealed = key.seal(AAD, &plain).map_err(failed)?;
        let len = u16::try_from(wrapped.len())
            .map_err(|_| AppError::Internal(anyhow::anyhow!("a wrapped key too long")))?;
        let mut out = Vec::with_capacity(2 + wrapped.len() + sealed.len());
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&wrapped);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// What [`Waiting::seal`] sealed for `session_token`, or `None` when the bytes do not
    /// open with it (altered, or sealed for another session): nothing is shown rather than
    /// the request failing.
    pub fn open(blob: &[u8], session_token: &str) -> Option<Waiting> {
        let (len, rest) = blob.split_first_chunk::<2>()?;
        let (wrapped, sealed) = rest.split_at_checked(usize::from(u16::from_be_bytes(*len)))?;
        let key = vault::unwrap_with_token(wrapped, session_token.as_bytes()).ok()?;
        let plain = zeroize::Zeroizing::new(key.open(AAD, sealed).ok()?);
        serde_json::from_slice(&plain).ok()
    }
}

fn failed(e: vault::VaultError) -> AppError {
    AppError::Internal(anyhow::anyhow!("cannot seal a secret to show: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "a-session-token-of-at-least-sixteen-bytes";

    fn code() -> ShownOnce {
        ShownOnce::RecoveryCode {
            code: "ABCD-EFGH-JKLM-NPQR".to_owned(),
            new_account: true,
            replaced: false,
            key_changed: false,
        }
    }

    fn token(name: &str) -> ShownOnce {
        ShownOnce::ApiToken {
            name: name.to_owned(),
            token: format!("sw_secret_{name}"),
        }
    }

    #[test]
    fn a_new_token_replaces_a_token_but_never_a_recovery_code() {
        let waiting = Waiting::none()
            .with(code())
            .with(token("laptop"))
            .with(token("phone"));
        assert_eq!(
            waiting.recovery_code(),
            Some(("ABCD-EFGH-JKLM-NPQR", true, false))
        );
        assert_eq!(waiting.api_token(), Some(("phone", "sw_secret_phone")));
        let saved = waiting.clone().without_api_token();
        assert_eq!(saved.api_token(), None);
        assert!(saved.recovery_code().is_some());
        assert!(saved.without_recovery_code().is_empty());
        assert_eq!(waiting.without_recovery_code().recovery_code(), None);
    }

    #[test]
    fn a_secret_opens_only_with_its_sessions_token() {
        let waiting = Waiting::none().with(code());
        let blob = waiting.seal(TOKEN).expect("seal");
        assert_eq!(Waiting::open(&blob, TOKEN), Some(waiting));
        assert_eq!(Waiting::open(&blob, "another-session-token-sixteen+"), None);
        let text = String::from_utf8_lossy(&blob);
        assert!(!text.contains("ABCD"), "the code is not in the clear");
    }

    #[test]
    fn altered_or_cut_bytes_show_nothing_and_never_panic() {
        let blob = Waiting::none()
            .with(token("laptop"))
            .seal(TOKEN)
            .expect("seal");
        for i in 0..blob.len() {
            let mut altered = blob.clone();
            altered[i] ^= 1;
            assert_eq!(Waiting::open(&altered, TOKEN), None, "byte {i}");
            assert_eq!(Waiting::open(&blob[..i], TOKEN), None, "cut at {i}");
        }
    }

    #[test]
    fn a_share_link_waits_beside_the_others_and_debug_hides_it() {
        let waiting = Waiting::none()
            .with(code())
            .with(ShownOnce::ShareLink {
                url: "https://example.org/s/the-secret".to_owned(),
                expires_at: "2026-12-12T00:00:00Z".to_owned(),
                has_pin: true,
            })
            .with(token("laptop"));
        assert_eq!(
            waiting.share_link(),
            Some((
                "https://example.org/s/the-secret",
                "2026-12-12T00:00:00Z",
                true
            ))
        );
        assert!(!format!("{waiting:?}").contains("the-secret"));
        let saved = waiting.without_share_link();
        assert_eq!(saved.share_link(), None);
        assert!(saved.api_token().is_some() && saved.recovery_code().is_some());
    }

    #[test]
    fn debug_shows_no_secret() {
        let shown = format!("{:?}", Waiting::none().with(code()).with(token("laptop")));
        assert!(
            !shown.contains("ABCD") && !shown.contains("sw_secret"),
            "{shown}"
        );
        assert!(shown.contains("laptop"), "{shown}");
    }
}
