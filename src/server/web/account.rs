//! The account pages: sign up, sign in, sign out (here or everywhere), the account page with
//! the saved profile, password change, API tokens, and deleting the account with everything
//! in it.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::CookieJar;
use axum_extra::extract::{Form, Query};
use serde::Deserialize;
use spinewise_domain::words::{capitalise, count};
use spinewise_store::{NewApiToken, NewUser, StoreError, UserId};

use super::views::Page;
use super::views::render;
use crate::server::auth::{self, ClientAddress, Visitor};
use crate::server::error::AppError;
use crate::server::error::PageError;
use crate::server::state::AppState;
use spinewise_app::accounts;
use spinewise_app::accounts::SignInError;
use spinewise_app::partner::{self, Status};
use spinewise_app::shown_once::{ShownOnce, Waiting};
use spinewise_app::{profile, rekey};

/// The account routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/signup", get(signup_form).post(signup))
        .route("/login", get(login_form).post(login))
        .route("/recover", get(recover_form).post(recover))
        .route("/logout", post(logout))
        .route("/account", get(account))
        .route("/account/password", post(change_password))
        .route("/account/sign-out-everywhere", post(sign_out_everywhere))
        .route(
            "/account/recovery-code",
            get(recovery_code).post(recovery_code_saved),
        )
        .route("/account/recovery-code/new", post(replace_recovery_code))
        .route("/account/encryption-key", post(change_encryption_key))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/saved", post(token_saved))
        .route("/account/tokens/revoke", post(revoke_token))
        .route("/account/delete", post(delete_account))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginTpl {
    page: Page,
    signup: bool,
    login: String,
    error: Option<String>,
    /// What happened before this page, such as signing out everywhere.
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Credentials {
    login: String,
    password: String,
    csrf: String,
}

fn login_page(
    state: &AppState,
    visitor: &Visitor,
    signup: bool,
    login: &str,
    error: Option<String>,
) -> LoginTpl {
    let title = if signup {
        "Create an account"
    } else {
        "Sign in"
    };
    LoginTpl {
        page: Page::new(state.knowledge, visitor, title, "account"),
        signup,
        login: login.to_owned(),
        error,
        notice: None,
    }
}

async fn signup_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    if visitor.user().is_some() {
        return Ok(Redirect::to("/account").into_response());
    }
    Ok(render(&login_page(&state, &visitor, true, "", None))?.into_response())
}

async fn login_form(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(after): Query<After>,
) -> Result<Response, PageError> {
    if visitor.user().is_some() {
        return Ok(Redirect::to("/account").into_response());
    }
    let mut page = login_page(&state, &visitor, false, "", None);
    page.notice = after.notice();
    Ok(render(&page)?.into_response())
}

fn refused(page: LoginTpl, status: StatusCode) -> Result<Response, PageError> {
    Ok((status, render(&page)?).into_response())
}

fn too_many(
    state: &AppState,
    visitor: &Visitor,
    signup: bool,
    login: &str,
    wait_secs: i64,
) -> Result<Response, PageError> {
    refused(
        login_page(state, visitor, signup, login, Some(wait_words(wait_secs))),
        StatusCode::TOO_MANY_REQUESTS,
    )
}

/// "Too many attempts. Wait 15 minutes and try again.", or seconds for a short wait.
fn wait_words(wait_secs: i64) -> String {
    let wait = if wait_secs >= 120 {
        count((wait_secs + 59) / 60, "minute", "minutes")
    } else {
        count(wait_secs.max(1), "second", "seconds")
    };
    format!("Too many attempts. Wait {wait} and try again.")
}

async fn signup(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    ClientAddress(address): ClientAddress,
    Form(form): Form<Credentials>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    match accounts::admit_signup(&state.store, &address).await {
        Ok(()) => {}
        Err(SignInError::Failed(e)) => return Err(e.into()),
        Err(SignInError::Throttled { wait_secs }) => {
            return too_many(&state, &visitor, true, &form.login, wait_secs);
        }
        Err(SignInError::Rejected) => {
            return too_many(&state, &visitor, true, &form.login, 60);
        }
    }
    let prepared = match accounts::validate_login(&form.login) {
        Ok(l) => l,
        Err(e) => {
            let page = login_page(
                &state,
                &visitor,
                true,
                &form.login,
                Some(format!("Username or email: {e}.")),
            );
            return refused(page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let login = prepared.text.clone();
    if let Err(e) = accounts::validate_password(&form.password) {
        let page = login_page(
            &state,
            &visitor,
            true,
            &login,
            Some(format!("Password: {e}.")),
        );
        return refused(page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let keys = accounts::NewKeys::generate(form.password.clone()).await?;
    let hash = accounts::hash_password(form.password).await?;
    let id = match state
        .store
        .create_user_with_keys(
            &NewUser {
                login: &login,
                login_skeleton: Some(&prepared.skeleton),
                password_hash: &hash,
                now: accounts::now(),
                demo: false,
            },
            &keys.wrapped(),
        )
        .await
    {
        Ok(id) => id,
        Err(StoreError::LoginTaken) => {
            let page = login_page(
                &state,
                &visitor,
                true,
                &login,
                Some("That username or email cannot be used; choose another.".to_owned()),
            );
            return refused(page, StatusCode::CONFLICT);
        }
        Err(e) => return Err(e.into()),
    };
    // The code waits in the new session, and the page that shows it is reached by a
    // redirect: reloading it shows the code again instead of signing up again.
    let waiting = Waiting::none().with(ShownOnce::RecoveryCode {
        code: keys.code.to_string(),
        new_account: true,
        replaced: false,
        key_changed: false,
    });
    let cookie = auth::start_session(
        &state.store,
        state.cookies,
        &jar,
        &id,
        Some(&keys.key),
        &waiting,
    )
    .await?;
    Ok((jar.add(cookie), Redirect::to(RECOVERY_CODE_PAGE)).into_response())
}

/// Where a new recovery code is shown.
const RECOVERY_CODE_PAGE: &str = "/account/recovery-code";

#[derive(Template)]
#[template(path = "recovery_code.html")]
struct RecoveryCodeTpl {
    page: Page,
    code: String,
    /// The text file offered for download: the code, the login and what it is for.
    download: String,
    new_account: bool,
    /// Whether the code replaces one the account had.
    replaced: bool,
    /// Whether it comes with a new data key.
    key_changed: bool,
}

/// The page that shows the recovery code waiting in the session, for as long as it waits:
/// a reload shows it again. Without one, the account page.
async fn recovery_code(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let Some(user) = visitor.user() else {
        return Ok(Redirect::to("/login").into_response());
    };
    let Some((code, new_account, replaced)) = user.shown_once.recovery_code() else {
        return Ok(Redirect::to("/account").into_response());
    };
    let page = RecoveryCodeTpl {
        page: Page::new(
            state.knowledge,
            &visitor,
            "Your recovery code",
            "recovery-code",
        ),
        code: code.to_owned(),
        download: format!(
            "spinewise recovery code for {}: {code}\n\nWith it, the recovery page sets a new password and opens your journal. Keep it where only you can find it.\n",
            user.login
        ),
        new_account,
        replaced,
        key_changed: user.shown_once.key_changed(),
    };
    Ok(render(&page)?.into_response())
}

/// The form that asks for a new recovery code: the current password.
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct PasswordOnly {
    password: String,
    csrf: String,
}

impl std::fmt::Debug for PasswordOnly {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PasswordOnly(<redacted>)")
    }
}

/// A new recovery code, after the password: the old code stops working at once, and the new
/// one waits in the session to be shown (reached by a redirect, like at sign-up).
async fn replace_recovery_code(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    Form(form): Form<PasswordOnly>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    let user = visitor.require()?;
    let code = match accounts::new_recovery_code(
        &state.store,
        &user.id,
        &user.login,
        &form.password,
    )
    .await
    {
        Ok(code) => code,
        Err(e) => {
            let (status, message) = password_problem(e)?;
            let page = account_page(&state, &visitor, Some(message)).await?;
            return Ok((status, render(&page)?).into_response());
        }
    };
    let waiting = user.shown_once.clone().with(ShownOnce::RecoveryCode {
        code: code.to_string(),
        new_account: false,
        replaced: true,
        key_changed: false,
    });
    auth::set_shown_once(&state.store, state.cookies, &jar, &waiting).await?;
    Ok(Redirect::to(RECOVERY_CODE_PAGE).into_response())
}

/// "Change my encryption key", after the password: the journal and the profile re-sealed
/// under a new key in one transaction, a new recovery code, every session and API token
/// ended. This browser gets the new session, and the new code waits in it to be shown.
async fn change_encryption_key(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    Form(form): Form<PasswordOnly>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    let user = visitor.require()?;
    let changed = match rekey::change_data_key(
        &state.store,
        &user.id,
        &user.login,
        &form.password,
        &user.shown_once,
    )
    .await
    {
        Ok(changed) => changed,
        Err(SignInError::Failed(AppError::Conflict { detail, .. })) => {
            let page =
                account_page(&state, &visitor, Some(format!("{}.", capitalise(&detail)))).await?;
            return Ok((StatusCode::CONFLICT, render(&page)?).into_response());
        }
        Err(e) => {
            let (status, message) = password_problem(e)?;
            let page = account_page(&state, &visitor, Some(message)).await?;
            return Ok((status, render(&page)?).into_response());
        }
    };
    tracing::info!(
        sessions_ended = changed.sessions_ended,
        tokens_revoked = changed.tokens_revoked.len(),
        "an account's data key was changed"
    );
    let cookie = state.cookies.session_cookie(changed.session_token);
    Ok((jar.add(cookie), Redirect::to(RECOVERY_CODE_PAGE)).into_response())
}

/// "I have saved it": the code leaves the session for good, and the journal opens.
async fn recovery_code_saved(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    let user = visitor.require()?;
    let rest = user.shown_once.clone().without_recovery_code();
    auth::set_shown_once(&state.store, state.cookies, &jar, &rest).await?;
    Ok(Redirect::to("/journal").into_response())
}

async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    ClientAddress(address): ClientAddress,
    Form(form): Form<Credentials>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    match accounts::authenticate(&state.store, &form.login, &form.password, &address).await {
        Ok(user) => {
            let (key, new_code) = accounts::unlock(&state.store, &user.id, &form.password).await?;
            // A profile saved before profiles were sealed is sealed now that the key is open.
            profile::seal_clear(&state.store, &user.id, &key).await?;
            // An account from before journals existed has just been given its key: its
            // recovery code waits in the new session, to be shown as at sign-up.
            let waiting = new_code.map_or_else(Waiting::none, |code| {
                Waiting::none().with(ShownOnce::RecoveryCode {
                    code: code.to_string(),
                    new_account: false,
                    replaced: false,
                    key_changed: false,
                })
            });
            let cookie = auth::start_session(
                &state.store,
                state.cookies,
                &jar,
                &user.id,
                Some(&key),
                &waiting,
            )
            .await?;
            let next = if waiting.is_empty() {
                "/journal"
            } else {
                RECOVERY_CODE_PAGE
            };
            Ok((jar.add(cookie), Redirect::to(next)).into_response())
        }
        Err(SignInError::Rejected) => refused(
            login_page(
                &state,
                &visitor,
                false,
                &form.login,
                Some("The username or password is not right.".to_owned()),
            ),
            StatusCode::UNAUTHORIZED,
        ),
        Err(SignInError::Throttled { wait_secs }) => {
            too_many(&state, &visitor, false, &form.login, wait_secs)
        }
        Err(SignInError::Failed(e)) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "recover.html")]
struct RecoverTpl {
    page: Page,
    login: String,
    error: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct RecoverForm {
    login: String,
    code: String,
    new: String,
    csrf: String,
}

impl std::fmt::Debug for RecoverForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoverForm")
            .field("login", &self.login)
            .finish_non_exhaustive()
    }
}

async fn recover_form(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    render(&RecoverTpl {
        page: Page::new(state.knowledge, &visitor, "Set a new password", "account"),
        login: String::new(),
        error: None,
    })
    .map(IntoResponse::into_response)
}

/// Sets a new password with the recovery code: the code unwraps the journal's key, which is
/// then wrapped under the new password. Every session ends, and this browser gets a new one.
async fn recover(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    ClientAddress(address): ClientAddress,
    Form(form): Form<RecoverForm>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    let refuse = |status: StatusCode, error: String| -> Result<Response, PageError> {
        let page = RecoverTpl {
            page: Page::new(state.knowledge, &visitor, "Set a new password", "account"),
            login: form.login.clone(),
            error: Some(error),
        };
        Ok((status, render(&page)?).into_response())
    };
    let code = match spinewise_vault::RecoveryCode::parse(&form.code) {
        Ok(c) => c,
        Err(e) => {
            return refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("Recovery code: {e}."),
            );
        }
    };
    if let Err(e) = accounts::validate_password(&form.new) {
        return refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("New password: {e}."),
        );
    }
    let (user, key) =
        match accounts::authenticate_recovery(&state.store, &form.login, code, &address).await {
            Ok(found) => found,
            Err(SignInError::Rejected) => {
                return refuse(
                    StatusCode::UNAUTHORIZED,
                    "The username and recovery code do not match an account; nothing was changed."
                        .to_owned(),
                );
            }
            Err(SignInError::Throttled { wait_secs }) => {
                return refuse(StatusCode::TOO_MANY_REQUESTS, wait_words(wait_secs));
            }
            Err(SignInError::Failed(e)) => return Err(e.into()),
        };
    profile::seal_clear(&state.store, &user.id, &key).await?;
    let key = std::sync::Arc::new(key);
    let hash = accounts::hash_password(form.new.clone()).await?;
    let wrapped = accounts::wrap_under_password(key.clone(), form.new).await?;
    state
        .store
        .change_password(&user.id, &hash, &wrapped, accounts::now())
        .await?;
    // Whoever had the account before may hold a session or a token: both end. (A token
    // carries its own copy of the journal's key, so it would go on opening the journal.)
    state.store.delete_sessions_of(&user.id).await?;
    state.insights.forget(&user.id);
    state.store.revoke_api_tokens_of(&user.id).await?;
    let cookie = auth::start_session(
        &state.store,
        state.cookies,
        &jar,
        &user.id,
        Some(&key),
        &Waiting::none(),
    )
    .await?;
    Ok((jar.add(cookie), Redirect::to("/journal")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CsrfOnly {
    csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    if let Some(user) = visitor.user() {
        state.store.delete_session(&user.session_hash).await?;
        state.insights.forget(&user.id);
    }
    Ok((jar.add(state.cookies.session_removal()), Redirect::to("/")).into_response())
}

async fn sign_out_everywhere(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    Form(form): Form<EndSessions>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    let user = visitor.require()?;
    let sessions = state.store.delete_sessions_of(&user.id).await?;
    state.insights.forget(&user.id);
    let tokens = end_tokens(&state, &user.id, form.keep_tokens()).await?;
    let after = After {
        done: Some(Done::SignedOutEverywhere),
        sessions: Some(sessions),
        ..tokens
    };
    Ok((
        jar.add(state.cookies.session_removal()),
        Redirect::to(&format!("/login?{}", after.query())),
    )
        .into_response())
}

/// A form that ends sessions: the CSRF token, and whether the API tokens are kept working
/// (they are revoked unless the box is ticked).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EndSessions {
    csrf: String,
    keep_tokens: Option<String>,
}

impl EndSessions {
    fn keep_tokens(&self) -> bool {
        keeps_tokens(self.keep_tokens.as_deref())
    }
}

/// Whether a form's "Keep my API tokens working" box was ticked (it sends `yes`).
fn keeps_tokens(choice: Option<&str>) -> bool {
    choice == Some("yes")
}

/// Revokes every API token of `user`, unless `keep`: what happened to them, for the notice.
async fn end_tokens(state: &AppState, user: &UserId, keep: bool) -> Result<After, PageError> {
    let tokens = state.store.api_tokens(user).await?;
    if keep {
        return Ok(After {
            kept: Some(tokens.len() as u64),
            ..After::default()
        });
    }
    state.store.revoke_api_tokens_of(user).await?;
    Ok(After {
        revoked: tokens.into_iter().map(|t| t.name).collect(),
        kept: Some(0),
        ..After::default()
    })
}

/// What was just done that ended sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
enum Done {
    SignedOutEverywhere,
    PasswordChanged,
}

/// What a page says after sessions were ended (the sign-in page after "sign out everywhere",
/// the account page after a password change): how many sessions ended, and which API tokens
/// were revoked or how many still work. Carried in the redirect's query.
#[derive(Debug, Default, Deserialize, serde::Serialize)]
#[serde(default)]
struct After {
    done: Option<Done>,
    sessions: Option<u64>,
    /// The names of the API tokens revoked.
    revoked: Vec<String>,
    /// How many API tokens still work.
    kept: Option<u64>,
    /// How many revoked tokens are not named (beyond [`NAMED_TOKENS`]).
    more: u64,
}

/// The most revoked tokens the notice names; the rest are counted.
const NAMED_TOKENS: usize = 10;

impl After {
    fn query(&self) -> String {
        let named = After {
            revoked: self.revoked.iter().take(NAMED_TOKENS).cloned().collect(),
            more: self.more + self.revoked.len().saturating_sub(NAMED_TOKENS) as u64,
            ..*self
        };
        serde_html_form::to_string(&named).unwrap_or_default()
    }

    /// The notice, in words.
    fn notice(&self) -> Option<String> {
        let more = self.more;
        let ended = match (self.done?, self.sessions.unwrap_or(0)) {
            (Done::SignedOutEverywhere, 0 | 1) => "You are signed out on every device.".to_owned(),
            (Done::SignedOutEverywhere, n) => {
                format!("You are signed out on every device: {n} sessions ended.")
            }
            (Done::PasswordChanged, _) => {
                "Your password is changed, and you are signed out on every other device.".to_owned()
            }
        };
        let tokens = if !self.revoked.is_empty() {
            let mut names: Vec<String> = self.revoked.iter().map(|n| format!("“{n}”")).collect();
            if more > 0 {
                names.push(count(more, "other", "others"));
            }
            format!(
                "Your API tokens were revoked too, so apps that used them must be given a new one: {}.",
                names.join(", ")
            )
        } else {
            match self.kept.unwrap_or(0) {
                0 => "You had no API tokens.".to_owned(),
                n => format!(
                    "Your {} still {}, as you asked. Revoke any you no longer use on the account page.",
                    count(n, "API token", "API tokens"),
                    if n == 1 { "works" } else { "work" }
                ),
            }
        };
        Some(format!("{ended} {tokens}"))
    }
}

struct TokenView {
    id: String,
    name: String,
    created: String,
    last_used: String,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountTpl {
    page: Page,
    login: String,
    profile_lines: Vec<String>,
    /// Where the partner link stands, in a sentence.
    partner_line: String,
    /// Whether the account is linked with a partner.
    linked: bool,
    tokens: Vec<TokenView>,
    /// A new API token waiting to be copied: its name and the token.
    new_token: Option<(String, String)>,
    /// What was just done, such as changing the password.
    notice: Option<String>,
    error: Option<String>,
}

fn date(secs: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(secs)
        .ok()
        .and_then(|t| {
            t.format(&time::macros::format_description!("[year]-[month]-[day]"))
                .ok()
        })
        .unwrap_or_else(|| "an unknown date".to_owned())
}

async fn account_page(
    state: &AppState,
    visitor: &Visitor,
    error: Option<String>,
) -> Result<AccountTpl, PageError> {
    let user = visitor.require()?;
    let k = state.knowledge;
    let mut profile_lines = Vec::new();
    let stored = match user.data_key() {
        Ok(key) => profile::load(&state.store, &user.id, key).await?,
        Err(_) => {
            profile_lines.push(
                "Your saved profile is locked in this session, like your journal: sign out and sign in again to see it."
                    .to_owned(),
            );
            None
        }
    };
    if let Some(p) = stored {
        let name = |t: spinewise_domain::vocab::PainType| {
            k.pain_type(t)
                .map_or_else(|| t.to_string(), |i| i.name.clone())
        };
        let conditions = |ids: &[String]| {
            ids.iter()
                .filter_map(|id| k.condition(id).ok().map(|c| c.name.clone()))
                .collect::<Vec<_>>()
                .join("; ")
        };
        if let Some(t) = p.pain_type {
            profile_lines.push(format!("Your pain type: {}", name(t)));
        }
        if let Some(r) = p.role {
            profile_lines.push(format!("Your role: {r}"));
        }
        if !p.conditions.is_empty() {
            profile_lines.push(format!("Your conditions: {}", conditions(&p.conditions)));
        }
        if let Some(t) = p.partner_pain_type {
            profile_lines.push(format!("Your partner's pain type: {}", name(t)));
        }
        if !p.partner_conditions.is_empty() {
            profile_lines.push(format!(
                "Your partner's conditions: {}",
                conditions(&p.partner_conditions)
            ));
        }
    }
    let status = partner::status(&state.store, &user.id, accounts::now()).await?;
    let linked = matches!(status, Status::Linked { .. });
    let partner_line = match status {
        Status::Alone => "Not linked with a partner.".to_owned(),
        Status::Invited { expires_at } => format!(
            "Not linked yet: your invitation code works until {}.",
            super::partner::when_of(expires_at)
        ),
        Status::Linked {
            partner_login,
            since,
        } => format!(
            "Linked with {partner_login} since {}. Each of you sees only what the other chooses to share.",
            date(since)
        ),
    };
    let tokens = state
        .store
        .api_tokens(&user.id)
        .await?
        .into_iter()
        .map(|t| TokenView {
            id: t.id,
            name: t.name,
            created: date(t.created_at),
            last_used: t.last_used_at.map_or_else(
                || "never used".to_owned(),
                |u| format!("last used {}", date(u)),
            ),
        })
        .collect();
    Ok(AccountTpl {
        page: Page::new(k, visitor, "Your account", "account"),
        login: user.login.clone(),
        profile_lines,
        partner_line,
        linked,
        tokens,
        new_token: user
            .shown_once
            .api_token()
            .map(|(name, token)| (name.to_owned(), token.to_owned())),
        notice: None,
        error,
    })
}

async fn account(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(after): Query<After>,
) -> Result<Response, PageError> {
    if visitor.user().is_none() {
        return Ok(Redirect::to("/login").into_response());
    }
    let mut page = account_page(&state, &visitor, None).await?;
    page.notice = after.notice();
    Ok(render(&page)?.into_response())
}

/// What to tell someone whose password check failed.
fn password_problem(e: SignInError) -> Result<(StatusCode, String), PageError> {
    match e {
        SignInError::Rejected => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            "The password is not right; nothing was changed.".to_owned(),
        )),
        SignInError::Throttled { wait_secs } => {
            Ok((StatusCode::TOO_MANY_REQUESTS, wait_words(wait_secs)))
        }
        SignInError::Failed(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordChange {
    current: String,
    new: String,
    csrf: String,
    keep_tokens: Option<String>,
}

async fn change_password(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    Form(form): Form<PasswordChange>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    let user = visitor.require()?;
    let problem = match accounts::confirm_password(
        &state.store,
        &user.id,
        &user.login,
        &form.current,
    )
    .await
    {
        Ok(()) => accounts::validate_password(&form.new).err().map(|e| {
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("New password: {e}."),
            )
        }),
        Err(e) => Some(password_problem(e)?),
    };
    if let Some((status, e)) = problem {
        let page = account_page(&state, &visitor, Some(e)).await?;
        return Ok((status, render(&page)?).into_response());
    }
    // The journal's key is unwrapped with the password just confirmed and wrapped again
    // under the new one, in the same transaction as the new hash.
    let (key, new_code) = accounts::unlock(&state.store, &user.id, &form.current).await?;
    let key = std::sync::Arc::new(key);
    let hash = accounts::hash_password(form.new.clone()).await?;
    let wrapped = accounts::wrap_under_password(key.clone(), form.new).await?;
    state
        .store
        .change_password(&user.id, &hash, &wrapped, accounts::now())
        .await?;
    // Every other session ends; this browser gets a fresh one. The API tokens are revoked
    // too unless the person asked to keep them: each carries the journal's key.
    let sessions = state.store.delete_sessions_of(&user.id).await?;
    state.insights.forget(&user.id);
    let keep = keeps_tokens(form.keep_tokens.as_deref());
    let tokens = end_tokens(&state, &user.id, keep).await?;
    // An account from before journals existed got its key just now: its recovery code waits
    // in the new session, to be shown as at sign-up. A code or token that waited in the old
    // session moves with it, unless the token was just revoked.
    let kept = if keep {
        user.shown_once.clone()
    } else {
        user.shown_once.clone().without_api_token()
    };
    let waiting = match new_code {
        Some(code) => kept.with(ShownOnce::RecoveryCode {
            code: code.to_string(),
            new_account: false,
            replaced: false,
            key_changed: false,
        }),
        None => kept,
    };
    let cookie = auth::start_session(
        &state.store,
        state.cookies,
        &CookieJar::new(),
        &user.id,
        Some(&key),
        &waiting,
    )
    .await?;
    let next = if waiting.recovery_code().is_some() {
        RECOVERY_CODE_PAGE.to_owned()
    } else {
        let after = After {
            done: Some(Done::PasswordChanged),
            sessions: Some(sessions),
            ..tokens
        };
        format!("/account?{}", after.query())
    };
    Ok((jar.add(cookie), Redirect::to(&next)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenForm {
    name: String,
    id: String,
    csrf: String,
}

async fn create_token(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    Form(form): Form<TokenForm>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    let user = visitor.require()?;
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 64 {
        let page = account_page(
            &state,
            &visitor,
            Some(format!(
                "A token needs a name of 1 to 64 characters; this one has {}.",
                name.chars().count()
            )),
        )
        .await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    let token = format!("sw_{}", accounts::random_token()?);
    let id = UserId::new().as_str().to_owned();
    // The token opens the journal too: it carries the key wrapped under itself.
    let wrapped_key = match user.data_key() {
        Ok(key) => Some(accounts::wrap_under_token(key, &token)?),
        Err(_) => None,
    };
    state
        .store
        .create_api_token(&NewApiToken {
            id: &id,
            user_id: &user.id,
            name,
            token_hash: &accounts::hash_token(&token),
            created_at: accounts::now(),
            wrapped_key: wrapped_key.as_deref(),
        })
        .await?;
    // The token waits in the session and the account page shows it, reached by a redirect:
    // a reload shows it again instead of making another.
    let waiting = user.shown_once.clone().with(ShownOnce::ApiToken {
        name: name.to_owned(),
        token,
    });
    auth::set_shown_once(&state.store, state.cookies, &jar, &waiting).await?;
    Ok(Redirect::to("/account#new-token").into_response())
}

/// "I have copied it": the new token leaves the session; only its hash is kept.
async fn token_saved(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    let user = visitor.require()?;
    let rest = user.shown_once.clone().without_api_token();
    auth::set_shown_once(&state.store, state.cookies, &jar, &rest).await?;
    Ok(Redirect::to("/account#tokens-head").into_response())
}

async fn revoke_token(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<TokenForm>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    let user = visitor.require()?;
    if !state.store.revoke_api_token(&user.id, &form.id).await? {
        return Err(
            AppError::NotFound("There is no such token in this account.".to_owned()).into(),
        );
    }
    Ok(Redirect::to("/account").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DeleteForm {
    password: String,
    confirm: String,
    csrf: String,
}

#[derive(Template)]
#[template(path = "message.html")]
struct MessageTpl {
    page: Page,
    heading: String,
    message: String,
}

async fn delete_account(
    State(state): State<AppState>,
    visitor: Visitor,
    jar: CookieJar,
    Form(form): Form<DeleteForm>,
) -> Result<Response, PageError> {
    visitor.verify_csrf(&form.csrf)?;
    let user = visitor.require()?;
    let problem = if form.confirm != "yes" {
        Some((
            StatusCode::UNPROCESSABLE_ENTITY,
            "Tick the box to confirm that everything will be deleted; nothing was deleted."
                .to_owned(),
        ))
    } else {
        match accounts::confirm_password(&state.store, &user.id, &user.login, &form.password).await
        {
            Ok(()) => None,
            Err(e) => Some(password_problem(e)?),
        }
    };
    if let Some((status, e)) = problem {
        let page = account_page(&state, &visitor, Some(e)).await?;
        return Ok((status, render(&page)?).into_response());
    }
    state.store.delete_user(&user.id).await?;
    state.insights.forget(&user.id);
    accounts::forget_failures(&state.store, &user.login).await?;
    let signed_out = visitor.anonymous(visitor.csrf_token().to_owned());
    let page = MessageTpl {
        page: Page::new(state.knowledge, &signed_out, "Account deleted", "account"),
        heading: "Your account is deleted".to_owned(),
        message: "Your account, your saved profile, your API tokens and every session are gone from the database.".to_owned(),
    };
    Ok((jar.add(state.cookies.session_removal()), render(&page)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::{After, Done};

    #[test]
    fn ending_sessions_says_what_happened_to_sessions_and_tokens() {
        let signed_out = |sessions, revoked: &[&str], kept| After {
            done: Some(Done::SignedOutEverywhere),
            sessions: Some(sessions),
            revoked: revoked.iter().map(|s| (*s).to_owned()).collect(),
            kept: Some(kept),
            more: 0,
        };
        let revoked = signed_out(3, &["phone", "laptop"], 0)
            .notice()
            .expect("a notice");
        assert!(revoked.contains("3 sessions ended"), "{revoked}");
        assert!(
            revoked.contains("were revoked too") && revoked.contains("“phone”, “laptop”"),
            "{revoked}"
        );
        let kept = signed_out(1, &[], 1).notice().expect("a notice");
        assert!(
            kept.contains("Your 1 API token still works, as you asked"),
            "{kept}"
        );
        let none = signed_out(1, &[], 0).notice().expect("a notice");
        assert!(none.ends_with("You had no API tokens."), "{none}");
        let many = After {
            more: 4,
            ..signed_out(1, &["a"], 0)
        }
        .notice()
        .expect("a notice");
        assert!(many.contains("“a”, 4 others"), "{many}");
        let password = After {
            done: Some(Done::PasswordChanged),
            ..signed_out(2, &["phone"], 0)
        }
        .notice()
        .expect("a notice");
        assert!(
            password.starts_with("Your password is changed"),
            "{password}"
        );
        assert_eq!(After::default().notice(), None);
    }

    #[test]
    fn the_notice_survives_its_trip_through_the_query() {
        let names: Vec<String> = (0..12).map(|i| format!("token & {i}")).collect();
        let after = After {
            done: Some(Done::SignedOutEverywhere),
            sessions: Some(2),
            revoked: names,
            kept: Some(0),
            more: 0,
        };
        let back: After = serde_html_form::from_str(&after.query()).expect("parsed");
        let notice = back.notice().expect("a notice");
        assert!(notice.contains("“token & 9”, 2 others"), "{notice}");
        assert!(!notice.contains("token & 10"), "{notice}");
    }
}
