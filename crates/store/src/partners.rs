//! Linked partners: invitations, links, each member's wrapped link key and sealed shares, and
//! the occasions both logged.
//!
//! The store sees only opaque bytes: the link key wrapped under each partner's data key and
//! under an invitation's code, and whatever the application sealed under the link key. It
//! keeps the rules that need a transaction: an account holds at most one link and one open
//! invitation, an invitation is used once and not after it expires, and ending a link (or
//! deleting either account) deletes every wrapped copy of its key and everything sealed under
//! it.

use std::fmt;

use crate::database::Store;
use crate::error::StoreError;
use crate::ids::UserId;

/// How many occasions a link keeps: the oldest go first.
pub const MAX_OCCASIONS: i64 = 200;

/// A new invitation, for [`Store::create_partner_invitation`].
#[derive(Clone, Copy)]
pub struct NewInvitation<'a> {
    /// SHA-256 of the one-time code, hex.
    pub code_hash: &'a str,
    /// Who invites.
    pub user_id: &'a UserId,
    /// The id the link will have.
    pub link_id: &'a str,
    /// The link key wrapped under the code.
    pub under_code: &'a [u8],
    /// The link key wrapped under the inviter's data key.
    pub under_key: &'a [u8],
    /// The time (unix seconds).
    pub now: i64,
    /// When the code stops working (unix seconds).
    pub expires_at: i64,
}

impl fmt::Debug for NewInvitation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewInvitation")
            .field("user_id", &self.user_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// An invitation as stored.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Invitation {
    /// Who invites.
    pub user_id: String,
    /// The id the link will have.
    pub link_id: String,
    /// The link key wrapped under the code.
    pub under_code: Vec<u8>,
    /// The link key wrapped under the inviter's data key.
    pub under_key: Vec<u8>,
    /// When it was made (unix seconds).
    pub created_at: i64,
    /// When the code stops working (unix seconds).
    pub expires_at: i64,
}

impl fmt::Debug for Invitation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Invitation")
            .field("user_id", &self.user_id)
            .field("created_at", &self.created_at)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// One partner of a link as stored.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Member {
    /// The partner's account.
    pub user_id: String,
    /// The link key wrapped under this partner's data key.
    pub wrapped_key: Vec<u8>,
    /// What this partner shares, sealed under the link key (`None` before they chose).
    pub shared: Option<Vec<u8>>,
    /// This partner's marks of positions, sealed under the link key.
    pub marks: Option<Vec<u8>>,
    /// When this partner last changed either (unix seconds).
    pub updated_at: i64,
}

impl fmt::Debug for Member {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Member")
            .field("user_id", &self.user_id)
            .field("updated_at", &self.updated_at)
            .finish_non_exhaustive()
    }
}

/// A user's link: who they are in it, and their partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The link's id.
    pub id: String,
    /// When the partner accepted (unix seconds).
    pub created_at: i64,
    /// The user who asked.
    pub me: Member,
    /// Their partner.
    pub partner: Member,
}

/// An occasion as stored: sealed under the link key.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Occasion {
    /// Its id.
    pub id: String,
    /// What the application sealed.
    pub sealed: Vec<u8>,
    /// When it was first written (unix seconds).
    pub created_at: i64,
}

impl fmt::Debug for Occasion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Occasion")
            .field("id", &self.id)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

/// What became of an acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceptance {
    /// The two accounts are linked.
    Linked,
    /// No open invitation has this code (never made, used, cancelled or expired).
    NoSuchInvitation,
    /// The invitation is the acceptor's own.
    OwnInvitation,
    /// The acceptor is already linked.
    AcceptorLinked,
    /// The inviter linked with someone else meanwhile.
    InviterLinked,
}

/// Which sealed column of a member to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberColumn {
    /// What they share.
    Shared,
    /// Their marks of positions.
    Marks,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    link_id: String,
    link_created_at: i64,
    user_id: String,
    wrapped_key: Vec<u8>,
    shared: Option<Vec<u8>>,
    marks: Option<Vec<u8>>,
    updated_at: i64,
}

impl Store {
    /// Stores `invitation` in place of any open invitation of its user.
    ///
    /// Returns `false`, storing nothing, if the user is already linked.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn create_partner_invitation(
        &self,
        invitation: &NewInvitation<'_>,
    ) -> Result<bool, StoreError> {
        const LINKED_SQL: &str = "SELECT COUNT(*) FROM partner_members WHERE user_id = $1";
        const DELETE_SQL: &str = "DELETE FROM partner_invitations WHERE user_id = $1";
        const INSERT_SQL: &str = "INSERT INTO partner_invitations \
             (code_hash, user_id, link_id, under_code, under_key, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)";
        let user = invitation.user_id.as_str();
        let stored = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // The delete first: on SQLite it takes the write lock at once.
            sqlx::query(DELETE_SQL).bind(user).execute(&mut *tx).await?;
            let linked: i64 = sqlx::query_scalar(LINKED_SQL)
                .bind(user)
                .fetch_one(&mut *tx)
                .await?;
            if linked > 0 {
                false
            } else {
                sqlx::query(INSERT_SQL)
                    .bind(invitation.code_hash)
                    .bind(user)
                    .bind(invitation.link_id)
                    .bind(invitation.under_code)
                    .bind(invitation.under_key)
                    .bind(invitation.now)
                    .bind(invitation.expires_at)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                true
            }
        });
        Ok(stored)
    }

    /// The open invitation with this code's hash, if it has not expired at `now`.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn partner_invitation(
        &self,
        code_hash: &str,
        now: i64,
    ) -> Result<Option<Invitation>, StoreError> {
        const SQL: &str = "SELECT user_id, link_id, under_code, under_key, created_at, \
             expires_at FROM partner_invitations WHERE code_hash = $1 AND expires_at > $2";
        let found = on_pool!(self, pool => sqlx::query_as::<_, Invitation>(SQL)
            .bind(code_hash)
            .bind(now)
            .fetch_optional(pool)
            .await?);
        Ok(found)
    }

    /// The user's own open invitation, if any has not expired at `now`.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn own_partner_invitation(
        &self,
        user_id: &UserId,
        now: i64,
    ) -> Result<Option<Invitation>, StoreError> {
        const SQL: &str = "SELECT user_id, link_id, under_code, under_key, created_at, \
             expires_at FROM partner_invitations WHERE user_id = $1 AND expires_at > $2";
        let found = on_pool!(self, pool => sqlx::query_as::<_, Invitation>(SQL)
            .bind(user_id.as_str())
            .bind(now)
            .fetch_optional(pool)
            .await?);
        Ok(found)
    }

    /// Cancels the user's open invitation. Returns whether there was one.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn cancel_partner_invitation(&self, user_id: &UserId) -> Result<bool, StoreError> {
        const SQL: &str = "DELETE FROM partner_invitations WHERE user_id = $1";
        let deleted = on_pool!(self, pool => sqlx::query(SQL)
            .bind(user_id.as_str())
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted > 0)
    }

    /// Links the acceptor with the invitation's author, in one transaction: the invitation is
    /// used up, the link made, and each partner's wrapped copy of the link key stored
    /// (the inviter's from the invitation, the acceptor's `wrapped_key`). Any open invitation
    /// of the acceptor is cancelled.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails; nothing is written then, nor for any
    /// answer but [`Acceptance::Linked`].
    pub async fn accept_partner_invitation(
        &self,
        code_hash: &str,
        acceptor: &UserId,
        wrapped_key: &[u8],
        now: i64,
    ) -> Result<Acceptance, StoreError> {
        // Deleting the invitation first both takes it (no second acceptance can) and, on
        // SQLite, the write lock.
        const TAKE_SQL: &str = "DELETE FROM partner_invitations \
             WHERE code_hash = $1 AND expires_at > $2 \
             RETURNING user_id, link_id, under_code, under_key, created_at, expires_at";
        const LINKED_SQL: &str = "SELECT COUNT(*) FROM partner_members WHERE user_id = $1";
        const LINK_SQL: &str = "INSERT INTO partner_links (id, created_at) VALUES ($1, $2)";
        const MEMBER_SQL: &str = "INSERT INTO partner_members \
             (user_id, link_id, wrapped_key, shared, marks, updated_at) \
             VALUES ($1, $2, $3, NULL, NULL, $4)";
        const CANCEL_SQL: &str = "DELETE FROM partner_invitations WHERE user_id = $1";
        let acceptor = acceptor.as_str();
        let answer = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            let taken = sqlx::query_as::<_, Invitation>(TAKE_SQL)
                .bind(code_hash)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
            match taken {
                None => Acceptance::NoSuchInvitation,
                Some(invitation) if invitation.user_id == acceptor => Acceptance::OwnInvitation,
                Some(invitation) => {
                    let acceptor_linked: i64 = sqlx::query_scalar(LINKED_SQL)
                        .bind(acceptor)
                        .fetch_one(&mut *tx)
                        .await?;
                    let inviter_linked: i64 = sqlx::query_scalar(LINKED_SQL)
                        .bind(&invitation.user_id)
                        .fetch_one(&mut *tx)
                        .await?;
                    if acceptor_linked > 0 {
                        Acceptance::AcceptorLinked
                    } else if inviter_linked > 0 {
                        Acceptance::InviterLinked
                    } else {
                        sqlx::query(LINK_SQL)
                            .bind(&invitation.link_id)
                            .bind(now)
                            .execute(&mut *tx)
                            .await?;
                        for (user, wrapped) in [
                            (invitation.user_id.as_str(), invitation.under_key.as_slice()),
                            (acceptor, wrapped_key),
                        ] {
                            sqlx::query(MEMBER_SQL)
                                .bind(user)
                                .bind(&invitation.link_id)
                                .bind(wrapped)
                                .bind(now)
                                .execute(&mut *tx)
                                .await?;
                        }
                        sqlx::query(CANCEL_SQL).bind(acceptor).execute(&mut *tx).await?;
                        tx.commit().await?;
                        Acceptance::Linked
                    }
                }
            }
        });
        Ok(answer)
    }

    /// The user's link with both members, if they are linked.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails; [`StoreError::Corrupt`] if the link
    /// has not exactly two members.
    pub async fn partner_link(&self, user_id: &UserId) -> Result<Option<Link>, StoreError> {
        const SQL: &str = "SELECT m.link_id, l.created_at AS link_created_at, m.user_id, \
             m.wrapped_key, m.shared, m.marks, m.updated_at \
             FROM partner_members m JOIN partner_links l ON l.id = m.link_id \
             WHERE m.link_id = (SELECT link_id FROM partner_members WHERE user_id = $1) \
             ORDER BY m.user_id";
        let rows = on_pool!(self, pool => sqlx::query_as::<_, MemberRow>(SQL)
            .bind(user_id.as_str())
            .fetch_all(pool)
            .await?);
        if rows.is_empty() {
            return Ok(None);
        }
        let mut me = None;
        let mut partner = None;
        let mut link = None;
        for row in rows {
            link = Some((row.link_id, row.link_created_at));
            let member = Member {
                user_id: row.user_id,
                wrapped_key: row.wrapped_key,
                shared: row.shared,
                marks: row.marks,
                updated_at: row.updated_at,
            };
            if member.user_id == user_id.as_str() {
                me = Some(member);
            } else if partner.replace(member).is_some() {
                return Err(StoreError::Corrupt {
                    what: "partner_members",
                });
            }
        }
        match (link, me, partner) {
            (Some((id, created_at)), Some(me), Some(partner)) => Ok(Some(Link {
                id,
                created_at,
                me,
                partner,
            })),
            // The partner's account is gone (deleting an account ends its link; this is a
            // link from before that, or a crash between): no link.
            _ => Ok(None),
        }
    }

    /// Replaces one sealed column of the user's membership of `link_id`. Returns `false`,
    /// writing nothing, if the user is not (or no longer) in that link.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn put_partner_member(
        &self,
        user_id: &UserId,
        link_id: &str,
        column: MemberColumn,
        sealed: &[u8],
        now: i64,
    ) -> Result<bool, StoreError> {
        const SHARED_SQL: &str = "UPDATE partner_members SET shared = $1, updated_at = $2 \
             WHERE user_id = $3 AND link_id = $4";
        const MARKS_SQL: &str = "UPDATE partner_members SET marks = $1, updated_at = $2 \
             WHERE user_id = $3 AND link_id = $4";
        let sql = match column {
            MemberColumn::Shared => SHARED_SQL,
            MemberColumn::Marks => MARKS_SQL,
        };
        let updated = on_pool!(self, pool => sqlx::query(sql)
            .bind(sealed)
            .bind(now)
            .bind(user_id.as_str())
            .bind(link_id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(updated > 0)
    }

    /// Replaces what the user shares in `link_id` with `sealed`, only if it is still
    /// `expected` (`None`: nothing shared yet): a compare-and-set, so that two refreshes at once
    /// never write back a share read before the other's change. Returns `false`, writing
    /// nothing, if the share changed meanwhile or the user is not (or no longer) in the link.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn swap_partner_shared(
        &self,
        user_id: &UserId,
        link_id: &str,
        expected: Option<&[u8]>,
        sealed: &[u8],
        now: i64,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE partner_members SET shared = $1, updated_at = $2 \
             WHERE user_id = $3 AND link_id = $4 AND shared IS NOT DISTINCT FROM $5";
        let updated = on_pool!(self, pool => sqlx::query(SQL)
            .bind(sealed)
            .bind(now)
            .bind(user_id.as_str())
            .bind(link_id)
            .bind(expected)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(updated > 0)
    }

    /// Ends the user's link, deleting both wrapped copies of its key, both partners' shares
    /// and marks and every occasion. Returns whether there was one.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn end_partner_link(&self, user_id: &UserId) -> Result<bool, StoreError> {
        const SQL: &str = "DELETE FROM partner_links \
             WHERE id = (SELECT link_id FROM partner_members WHERE user_id = $1)";
        let deleted = on_pool!(self, pool => sqlx::query(SQL)
            .bind(user_id.as_str())
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted > 0)
    }

    /// Stores an occasion of `link_id`, or replaces the one with its id, if `user_id` is in
    /// that link; the link keeps its latest [`MAX_OCCASIONS`]. Returns `false`, writing
    /// nothing, if the user is not in the link.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn put_partner_occasion(
        &self,
        user_id: &UserId,
        link_id: &str,
        occasion: &Occasion,
    ) -> Result<bool, StoreError> {
        const MEMBER_SQL: &str =
            "SELECT COUNT(*) FROM partner_members WHERE user_id = $1 AND link_id = $2";
        const UPSERT_SQL: &str = "INSERT INTO partner_occasions (id, link_id, sealed, created_at) \
             VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET sealed = excluded.sealed \
             WHERE partner_occasions.link_id = excluded.link_id";
        const TRIM_SQL: &str = "DELETE FROM partner_occasions WHERE link_id = $1 AND id NOT IN \
             (SELECT id FROM partner_occasions WHERE link_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2)";
        let stored = on_pool!(self, pool => {
            let mut tx = pool.begin().await?;
            // A write first, for SQLite's lock; rolled back when the user is not a member.
            sqlx::query(UPSERT_SQL)
                .bind(&occasion.id)
                .bind(link_id)
                .bind(&occasion.sealed)
                .bind(occasion.created_at)
                .execute(&mut *tx)
                .await?;
            let member: i64 = sqlx::query_scalar(MEMBER_SQL)
                .bind(user_id.as_str())
                .bind(link_id)
                .fetch_one(&mut *tx)
                .await?;
            if member == 0 {
                false
            } else {
                sqlx::query(TRIM_SQL)
                    .bind(link_id)
                    .bind(MAX_OCCASIONS)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                true
            }
        });
        Ok(stored)
    }

    /// The occasions of `link_id`, latest first.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn partner_occasions(&self, link_id: &str) -> Result<Vec<Occasion>, StoreError> {
        const SQL: &str = "SELECT id, sealed, created_at FROM partner_occasions \
             WHERE link_id = $1 ORDER BY created_at DESC, id DESC";
        let rows = on_pool!(self, pool => sqlx::query_as::<_, Occasion>(SQL)
            .bind(link_id)
            .fetch_all(pool)
            .await?);
        Ok(rows)
    }

    /// Deletes the invitations that expired before `now`. Returns how many.
    ///
    /// # Errors
    ///
    /// [`StoreError::Database`] if the database fails.
    pub async fn delete_expired_partner_invitations(&self, now: i64) -> Result<u64, StoreError> {
        const SQL: &str = "DELETE FROM partner_invitations WHERE expires_at <= $1";
        let deleted = on_pool!(self, pool => sqlx::query(SQL)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(deleted)
    }
}
