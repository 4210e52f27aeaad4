//! Sharing with a clinician: a link that opens a snapshot of what the person chose — the plan,
//! the clinical summary, exercise adherence, the FHIR R4 bundle — for a few days, without an
//! account.
//!
//! The link's secret exists only in the link. The store keeps its SHA-256 (to find the share)
//! and the content sealed under a fresh random key, which is kept only wrapped under the
//! secret — or under the secret and the PIN, so that a PIN is needed to open the content, not
//! just to pass a check. The database alone opens no share. A wrong PIN is a key that does not
//! unwrap: each attempt is counted in the share's row before it is tried
//! ([`PinThrottle::STANDARD`]: 5 wrong in a row lock the link for 15 minutes, 20 in all end
//! it). Revoking, expiry and that end delete the content and the wrapped key; a revoked link
//! then answers as one that never existed, an expired one says it has expired, and neither
//! says whose it was or what it held.

use spinewise_domain::Knowledge;
use spinewise_domain::journal::LocalDate;
use spinewise_domain::journal::export::fhir_bundle;
use spinewise_domain::journal::summary::clinical_summary;
use spinewise_domain::recommend::{self, RequestError};
use spinewise_domain::safety::journal_red_flags;
use spinewise_store::{
    ClinicianShare, FoundClinicianShare, NewClinicianShare, PinThrottle, Store, UserId,
};
use spinewise_vault::{self as vault, DataKey};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use zeroize::Zeroizing;

use crate::accounts::{hash_token, random_token, wait_words};
use crate::dto::PlanDto;
use crate::error::{AppError, FieldError};
use crate::journal_dto::{ClinicalSummaryDto, plan_request};
use crate::requests::request_error;
use crate::share_dto::{
    CreatedShareDto, ShareDto, SharePart, ShareRequest, SharedDto, SharedPlanDto, SharedSummaryDto,
};
use crate::{journal, profile};

/// For how many days a link opens when the person does not say.
pub const DEFAULT_DAYS: i64 = 7;
/// The most days a link may open for.
pub const MAX_DAYS: i64 = 30;
/// How many openings a listing gives (all are counted).
const OPENINGS_LISTED: usize = 50;
/// The words every shared page carries.
pub const DISCLAIMER: &str =
    "Shared by the patient through spinewise. Health education, not diagnosis.";

/// A share request that has been checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidShareRequest {
    /// The parts, each once, in [`SharePart::ALL`]'s order.
    pub parts: Vec<SharePart>,
    /// Days the link opens for, 1–30.
    pub days: i64,
    /// The PIN, 4–8 digits, if any.
    pub pin: Option<String>,
}

impl ShareRequest {
    /// Checks every field, naming each bad one and what is allowed.
    ///
    /// # Errors
    ///
    /// [`AppError::Invalid`] with a field error for each of `parts`, `days` and `pin` that is
    /// not valid.
    pub fn validate(&self) -> Result<ValidShareRequest, AppError> {
        let mut errors = Vec::new();
        let allowed = SharePart::ALL.map(SharePart::as_str).join(", ");
        let mut parts = Vec::new();
        for (i, id) in self.parts.iter().enumerate() {
            match SharePart::parse(id.trim()) {
                Some(p) => parts.push(p),
                None => errors.push(FieldError::new(
                    format!("parts[{i}]"),
                    format!("'{id}' is not a part a share can include; one of: {allowed}"),
                )),
            }
        }
        parts.sort_unstable();
        parts.dedup();
        if self.parts.is_empty() {
            errors.push(FieldError::new(
                "parts",
                format!("a share needs at least one part; one or more of: {allowed}"),
            ));
        }
        let days = self.days.unwrap_or(DEFAULT_DAYS);
        if !(1..=MAX_DAYS).contains(&days) {
            errors.push(FieldError::new(
                "days",
                format!("{days} days is not allowed: a link opens for 1 to {MAX_DAYS} days"),
            ));
        }
        let pin = self
            .pin
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned);
        if let Some(p) = &pin
            && !pin_is_well_formed(p)
        {
            errors.push(FieldError::new(
                "pin",
                format!(
                    "a PIN is 4 to 8 digits (0–9); this one has {} characters{}",
                    p.chars().count(),
                    if p.chars().all(|c| c.is_ascii_digit()) {
                        ""
                    } else {
                        " and not only digits"
                    }
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(AppError::fields(errors));
        }
        Ok(ValidShareRequest { parts, days, pin })
    }
}

/// Whether `pin` is 4 to 8 ASCII digits.
fn pin_is_well_formed(pin: &str) -> bool {
    (4..=8).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

/// What the content key is wrapped under: the secret, and the PIN after it when there is one.
fn unlocking(secret: &str, pin: Option<&str>) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(match pin {
        Some(pin) => format!("{secret}:{pin}").into_bytes(),
        None => secret.as_bytes().to_vec(),
    })
}

/// What the content is bound to, so that it opens only as this share's.
fn content_aad(id: &str) -> Vec<u8> {
    format!("share:{id}").into_bytes()
}

/// What the FHIR bundle is bound to.
fn fhir_aad(id: &str) -> Vec<u8> {
    format!("share:{id}:fhir").into_bytes()
}

/// A unix time as RFC 3339 (UTC).
pub fn rfc3339(secs: i64) -> String {
    OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

fn sealing_failed(e: vault::VaultError) -> AppError {
    AppError::Internal(anyhow::anyhow!("cannot seal a share: {e}"))
}

/// The pain type in words and the role, as the shared plan names a partner.
fn described(k: &Knowledge, pain_type: &str, role: &str) -> String {
    let name = pain_type
        .parse()
        .ok()
        .and_then(|t| k.pain_type(t))
        .map_or_else(|| pain_type.to_owned(), |i| i.name.clone());
    if role.is_empty() {
        name
    } else {
        format!("{name}, {role}")
    }
}

/// The content a share holds: what the person chose, worked out now from their journal and
/// saved profile (opened with their key).
///
/// # Errors
///
/// [`AppError::Conflict`] naming `parts` when the plan is asked for without a saved pain type
/// and role; store and journal failures as [`AppError`].
pub async fn snapshot(
    store: &Store,
    k: &Knowledge,
    user: &UserId,
    key: &DataKey,
    parts: &[SharePart],
    today: LocalDate,
    now: i64,
) -> Result<(SharedDto, Option<Vec<u8>>), AppError> {
    let journal = journal::load(store, user, key).await?;
    let saved = profile::load(store, user, key).await?;
    let has = |p: SharePart| parts.contains(&p);
    let plan = if has(SharePart::Plan) {
        let request = plan_request(saved.as_ref()).map_err(|_| AppError::Conflict {
            detail: "the plan needs a saved profile with your pain type and role".to_owned(),
            errors: vec![FieldError::new(
                "parts",
                "the plan needs a saved profile with your pain type and role; save them on the plan page first, or share without 'plan'",
            )],
        })?;
        let mut request = request.validate(k)?;
        // The red flags the journal still holds come first, as on every page.
        request.noted = journal_red_flags(k, &journal, today);
        let found = recommend::recommend(k, &request).map_err(request_error)?;
        let dto = PlanDto::new(k, &request, &found);
        let you = described(k, dto.couple.you.pain_type, dto.couple.you.role);
        let partner = described(k, dto.couple.partner.pain_type, dto.couple.partner.role);
        Some(SharedPlanDto::from_plan(&dto, you, partner))
    } else {
        None
    };
    let (summary, adherence) = if has(SharePart::Summary) || has(SharePart::Adherence) {
        let conditions = saved
            .as_ref()
            .map(|p| p.conditions.clone())
            .unwrap_or_default();
        let found = clinical_summary(k, &journal, &conditions, today)
            .map_err(|e| request_error(RequestError::Unknown(e)))?;
        let (summary, exercise) =
            SharedSummaryDto::from_summary(ClinicalSummaryDto::new(k, &found));
        (
            has(SharePart::Summary).then_some(summary),
            has(SharePart::Adherence).then_some(exercise),
        )
    } else {
        (None, None)
    };
    // The same bytes the journal's FHIR export gives (pretty JSON, dates only).
    let fhir = if has(SharePart::Fhir) {
        let bundle = fhir_bundle(k, &journal, now, None);
        Some(serde_json::to_vec_pretty(&bundle).map_err(anyhow::Error::from)?)
    } else {
        None
    };
    let shared = SharedDto {
        parts: parts.to_vec(),
        shared_on: today,
        expires_at: String::new(),
        disclaimer: DISCLAIMER.to_owned(),
        plan,
        summary,
        adherence,
        fhir: fhir.is_some(),
    };
    Ok((shared, fhir))
}

/// Makes a share of what `request` names, for `user`, whose journal `key` opens, and returns
/// its link (with `base_url`, e.g. `https://clinic.example`) once. One insert: nothing is
/// written unless all of it is.
///
/// # Errors
///
/// As [`snapshot`]; [`AppError::Internal`] if the random source or the store fails.
#[expect(
    clippy::too_many_arguments,
    reason = "each is a different thing the share needs"
)]
pub async fn create(
    store: &Store,
    k: &Knowledge,
    user: &UserId,
    key: &DataKey,
    request: &ValidShareRequest,
    base_url: &str,
    today: LocalDate,
    now: i64,
) -> Result<CreatedShareDto, AppError> {
    let (shared, fhir) = snapshot(store, k, user, key, &request.parts, today, now).await?;
    let id = UserId::new().as_str().to_owned();
    let secret = random_token()?;
    let content_key = DataKey::generate().map_err(sealing_failed)?;
    let plain = Zeroizing::new(serde_json::to_vec(&shared).map_err(anyhow::Error::from)?);
    let sealed = content_key
        .seal(&content_aad(&id), &plain)
        .map_err(sealing_failed)?;
    let sealed_fhir = fhir
        .map(|bytes| content_key.seal(&fhir_aad(&id), &Zeroizing::new(bytes)))
        .transpose()
        .map_err(sealing_failed)?;
    let wrapped = vault::wrap_with_token(&content_key, &unlocking(&secret, request.pin.as_deref()))
        .map_err(sealing_failed)?;
    let expires_at = now + request.days * 86_400;
    store
        .create_clinician_share(&NewClinicianShare {
            id: &id,
            user_id: user,
            secret_hash: &hash_token(&secret),
            wrapped_key: &wrapped,
            sealed: &sealed,
            sealed_fhir: sealed_fhir.as_deref(),
            has_pin: request.pin.is_some(),
            created_at: now,
            expires_at,
        })
        .await?;
    Ok(CreatedShareDto {
        url: format!("{}/s/{secret}", base_url.trim_end_matches('/')),
        id,
        secret,
        expires_at: rfc3339(expires_at),
        has_pin: request.pin.is_some(),
    })
}

/// Whether a share is `active`, `expired` or `revoked` at `now`.
fn status(share: &ClinicianShare, now: i64) -> &'static str {
    if share.revoked_at.is_some() {
        "revoked"
    } else if share.expires_at <= now {
        "expired"
    } else {
        "active"
    }
}

/// The user's shares, newest first, each with its access log.
///
/// # Errors
///
/// [`AppError::Internal`] if the store fails.
pub async fn list(store: &Store, user: &UserId, now: i64) -> Result<Vec<ShareDto>, AppError> {
    Ok(store
        .clinician_shares(user)
        .await?
        .into_iter()
        .map(|s| ShareDto {
            id: s.id.clone(),
            status: status(&s, now),
            has_pin: s.has_pin,
            created_at: rfc3339(s.created_at),
            expires_at: rfc3339(s.expires_at),
            revoked_at: s.revoked_at.map(rfc3339),
            times_opened: s.openings.len(),
            openings: s
                .openings
                .iter()
                .take(OPENINGS_LISTED)
                .map(|&t| rfc3339(t))
                .collect(),
        })
        .collect())
}

/// Revokes one of the user's shares: its content and key are deleted at once.
///
/// # Errors
///
/// [`AppError::NotFound`] when the user has no share with this id (another's included).
pub async fn revoke(store: &Store, user: &UserId, id: &str, now: i64) -> Result<(), AppError> {
    if store.revoke_clinician_share(user, id, now).await? {
        Ok(())
    } else {
        Err(AppError::NotFound(
            "there is no such share in this account".to_owned(),
        ))
    }
}

/// What a link that does not open says: the same for a secret never issued and a revoked one.
fn no_share() -> AppError {
    AppError::NotFound("there is nothing shared at this link; it may have been revoked".to_owned())
}

fn expired() -> AppError {
    AppError::Gone("this link has expired; ask the patient for a new one".to_owned())
}

fn locked(until: i64, now: i64) -> AppError {
    let secs = u64::try_from(until - now).unwrap_or(1).max(1);
    AppError::TooManyRequests {
        detail: format!(
            "too many wrong PINs; this link can be tried again in {}",
            wait_words(secs)
        ),
        retry_after_secs: secs,
    }
}

/// The share behind `secret` and its unwrapped content key, checking the PIN when it has one
/// (each attempt counted before it is tried).
async fn unlock(
    store: &Store,
    secret: &str,
    pin: Option<&str>,
    now: i64,
) -> Result<(FoundClinicianShare, DataKey), AppError> {
    let throttle = PinThrottle::STANDARD;
    // A PIN given is checked for its form first, whatever the link: it never reaches a count.
    let pin = match pin.map(str::trim) {
        Some(p) if !pin_is_well_formed(p) => {
            return Err(AppError::PinNeeded(
                "this is not a PIN: a PIN is 4 to 8 digits (0–9)".to_owned(),
            ));
        }
        other => other,
    };
    let found = store
        .clinician_share_by_hash(&hash_token(secret))
        .await?
        .ok_or_else(no_share)?;
    let ended = |f: &FoundClinicianShare| -> Option<AppError> {
        if f.revoked_at.is_some() {
            Some(no_share())
        } else if f.expires_at <= now || f.wrapped_key.is_none() || f.sealed.is_none() {
            Some(expired())
        } else {
            None
        }
    };
    if let Some(e) = ended(&found) {
        return Err(e);
    }
    let wrapped = found.wrapped_key.clone().unwrap_or_default();
    if !found.has_pin {
        let key = vault::unwrap_with_token(&wrapped, secret.as_bytes())
            .map_err(|e| AppError::Internal(anyhow::anyhow!("a share does not open: {e}")))?;
        return Ok((found, key));
    }
    let Some(pin) = pin else {
        return Err(AppError::PinNeeded(
            "this link needs the PIN the patient chose".to_owned(),
        ));
    };
    if let Some(until) = found.locked_until.filter(|&u| u > now) {
        return Err(locked(until, now));
    }
    if !store
        .admit_clinician_share_pin(&found.id, now, throttle)
        .await?
    {
        // Locked, ended or expired since it was read: say which.
        let again = store
            .clinician_share_by_hash(&hash_token(secret))
            .await?
            .ok_or_else(no_share)?;
        if let Some(e) = ended(&again) {
            return Err(e);
        }
        return Err(locked(again.locked_until.unwrap_or(now + 1), now));
    }
    match vault::unwrap_with_token(&wrapped, &unlocking(secret, Some(pin))) {
        Ok(key) => {
            store.clinician_share_pin_accepted(&found.id).await?;
            Ok((found, key))
        }
        Err(_) => {
            if store
                .clinician_share_pin_refused(&found.id, now, throttle)
                .await?
            {
                return Err(AppError::NotFound(
                    "too many wrong PINs: this link no longer opens; ask the patient for a new one"
                        .to_owned(),
                ));
            }
            let in_a_row = (found.failed_pins + 1) % throttle.lock_after;
            let detail = if in_a_row == 0 {
                format!(
                    "wrong PIN; after {} wrong PINs in a row this link is locked for {}",
                    throttle.lock_after,
                    wait_words(u64::try_from(throttle.lock_secs).unwrap_or(900))
                )
            } else {
                "wrong PIN".to_owned()
            };
            Err(AppError::PinNeeded(detail))
        }
    }
}

/// Opens the share behind `secret` (with `pin` when it has one) and records the opening.
///
/// # Errors
///
/// [`AppError::PinNeeded`] for a PIN that is not 4 to 8 digits (whatever the link, and not
/// counted); [`AppError::NotFound`] for a link never issued or revoked (or ended by wrong
/// PINs), [`AppError::Gone`] for an expired one, [`AppError::PinNeeded`] for a missing or wrong
/// PIN,
/// [`AppError::TooManyRequests`] while wrong PINs have it locked; nothing in any of them says
/// whose it is or what it holds.
pub async fn open(
    store: &Store,
    secret: &str,
    pin: Option<&str>,
    now: i64,
) -> Result<SharedDto, AppError> {
    let (found, key) = unlock(store, secret, pin, now).await?;
    let sealed = found.sealed.as_deref().unwrap_or_default();
    let plain = Zeroizing::new(
        key.open(&content_aad(&found.id), sealed)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("a share does not open: {e}")))?,
    );
    let mut shared: SharedDto = serde_json::from_slice(&plain).map_err(anyhow::Error::from)?;
    shared.expires_at = rfc3339(found.expires_at);
    store.record_clinician_share_opening(&found.id, now).await?;
    Ok(shared)
}

/// The FHIR R4 bundle of the share behind `secret`: the bytes the journal's export gave when
/// it was shared. Records an opening.
///
/// # Errors
///
/// As [`open`]; [`AppError::NotFound`] when the share does not include the bundle.
pub async fn open_fhir(
    store: &Store,
    secret: &str,
    pin: Option<&str>,
    now: i64,
) -> Result<Vec<u8>, AppError> {
    let (found, key) = unlock(store, secret, pin, now).await?;
    let Some(sealed) = store.clinician_share_fhir(&found.id).await? else {
        return Err(AppError::NotFound(
            "this share does not include the FHIR bundle".to_owned(),
        ));
    };
    let bytes = key
        .open(&fhir_aad(&found.id), &sealed)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("a share does not open: {e}")))?;
    store.record_clinician_share_opening(&found.id, now).await?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(parts: &[&str], days: Option<i64>, pin: Option<&str>) -> ShareRequest {
        ShareRequest {
            parts: parts.iter().map(|p| (*p).to_owned()).collect(),
            days,
            pin: pin.map(str::to_owned),
        }
    }

    fn details(e: AppError) -> Vec<(String, String)> {
        match e {
            AppError::Invalid { errors, .. } => {
                errors.into_iter().map(|e| (e.field, e.detail)).collect()
            }
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn a_request_takes_known_parts_once_seven_days_by_default_and_a_pin_of_digits() {
        let valid = request(&["fhir", "plan", "fhir"], None, Some(" 0042 "))
            .validate()
            .expect("valid");
        assert_eq!(valid.parts, [SharePart::Plan, SharePart::Fhir]);
        assert_eq!(valid.days, 7);
        assert_eq!(valid.pin.as_deref(), Some("0042"));
        let no_pin = request(&["summary"], Some(30), Some(""))
            .validate()
            .expect("valid");
        assert_eq!(no_pin.pin, None);
    }

    #[test]
    fn bad_values_are_named_with_what_is_allowed() {
        let e = details(
            request(&["plan", "diary"], Some(31), Some("12a"))
                .validate()
                .expect_err("bad"),
        );
        let fields: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["parts[1]", "days", "pin"]);
        assert!(e[0].1.contains("'diary'") && e[0].1.contains("plan, summary, adherence, fhir"));
        assert!(e[1].1.contains("31") && e[1].1.contains("1 to 30"));
        assert!(e[2].1.contains("4 to 8 digits"));
        let e = details(
            request(&[], Some(0), Some("123456789"))
                .validate()
                .expect_err("bad"),
        );
        let fields: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["parts", "days", "pin"]);
    }

    #[test]
    fn the_pin_is_part_of_what_unwraps_the_key() {
        let key = DataKey::generate().expect("key");
        let wrapped = vault::wrap_with_token(
            &key,
            &unlocking("secret-of-the-link-32-bytes-long", Some("1234")),
        )
        .expect("wrap");
        assert!(
            vault::unwrap_with_token(
                &wrapped,
                &unlocking("secret-of-the-link-32-bytes-long", Some("1234"))
            )
            .is_ok()
        );
        assert!(
            vault::unwrap_with_token(
                &wrapped,
                &unlocking("secret-of-the-link-32-bytes-long", Some("1235"))
            )
            .is_err()
        );
        assert!(
            vault::unwrap_with_token(
                &wrapped,
                &unlocking("secret-of-the-link-32-bytes-long", None)
            )
            .is_err()
        );
    }
}
