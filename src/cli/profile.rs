//! The saved profile: the pain type from the last `assess --save`, the role, the partner's
//! pain type and role, and both partners' conditions, used by `recommend` by default.
//!
//! It lives in one small JSON file in the data directory, readable only by its owner, and is
//! replaced atomically (written beside, flushed to disk, renamed over), so that a crash or a
//! full disk never leaves half a profile behind.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use spinewise_domain::safety::Saved;
use spinewise_domain::vocab::{PainType, RoleChoice};

/// The file name inside the data directory.
const FILE_NAME: &str = "profile.json";
/// The profile format; a file of another version is refused, not misread.
const VERSION: u32 = 1;

/// What is saved.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Format version.
    pub version: u32,
    /// The person's pain type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pain_type: Option<PainType>,
    /// How sure the assessment was (0–1), if the pain type came from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
    /// The person's role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<RoleChoice>,
    /// The person's conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// The partner's pain type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_pain_type: Option<PainType>,
    /// The partner's conditions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partner_conditions: Vec<String>,
}

impl Profile {
    /// An empty profile of the current version.
    pub fn new() -> Profile {
        Profile {
            version: VERSION,
            ..Profile::default()
        }
    }

    /// What the safety policy reads of it: the person's pain type and conditions.
    pub fn saved(self) -> Saved {
        Saved {
            pain_type: self.pain_type,
            conditions: self.conditions,
        }
    }
}

/// Where the profile is kept.
#[derive(Debug, Clone)]
pub struct ProfileStore {
    path: PathBuf,
}

impl ProfileStore {
    /// The profile in `data_dir`.
    pub fn in_dir(data_dir: &Path) -> ProfileStore {
        ProfileStore {
            path: data_dir.join(FILE_NAME),
        }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved profile, or `None` if there is none.
    pub fn load(&self) -> anyhow::Result<Option<Profile>> {
        let text = match fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read {}", self.path.display()));
            }
        };
        let profile: Profile = serde_json::from_str(&text).with_context(|| {
            format!(
                "the profile {} is damaged; delete it with `spinewise profile clear` and save a new one",
                self.path.display()
            )
        })?;
        anyhow::ensure!(
            profile.version == VERSION,
            "the profile {} has format version {} but this spinewise reads version {VERSION}",
            self.path.display(),
            profile.version
        );
        Ok(Some(profile))
    }

    /// Replaces the saved profile, atomically.
    pub fn save(&self, profile: &Profile) -> anyhow::Result<()> {
        let dir = self
            .path
            .parent()
            .context("the profile path has no directory")?;
        create_private_dir(dir)?;
        let json = serde_json::to_vec_pretty(profile).context("cannot encode the profile")?;
        let tmp = dir.join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
        let written = write_private(&tmp, &json).and_then(|()| {
            fs::rename(&tmp, &self.path)
                .with_context(|| format!("cannot replace {}", self.path.display()))
        });
        if written.is_err() {
            // Leave nothing half-written behind; the old profile, if any, is untouched.
            let _ = fs::remove_file(&tmp);
        }
        written?;
        sync_dir(dir);
        Ok(())
    }

    /// Deletes the saved profile. Returns whether there was one.
    pub fn clear(&self) -> anyhow::Result<bool> {
        match fs::remove_file(&self.path) {
            Ok(()) => {
                if let Some(dir) = self.path.parent() {
                    sync_dir(dir);
                }
                Ok(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e).with_context(|| format!("cannot delete {}", self.path.display())),
        }
    }
}

/// Creates a directory only its owner can enter (with its parents).
pub fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder
        .create(dir)
        .with_context(|| format!("cannot create the data directory {}", dir.display()))
}

fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Makes a rename in `dir` durable. Best effort: not every platform can open a directory.
fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_profile_loads_back_unchanged() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = ProfileStore::in_dir(&dir.path().join("nested"));
        assert_eq!(store.load().expect("no error"), None);
        let profile = Profile {
            pain_type: Some(PainType::Extension),
            confidence: Some(0.7),
            role: Some(RoleChoice::Insertive),
            conditions: vec!["disc-problem".to_owned()],
            ..Profile::new()
        };
        store.save(&profile).expect("saved");
        assert_eq!(store.load().expect("no error"), Some(profile));
        let leftovers: Vec<_> = fs::read_dir(store.path().parent().expect("a directory"))
            .expect("listed")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary file is left behind");
        assert!(store.clear().expect("cleared"));
        assert_eq!(store.load().expect("no error"), None);
        assert!(!store.clear().expect("nothing to clear"));
    }

    #[cfg(unix)]
    #[test]
    fn the_profile_is_readable_only_by_its_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = ProfileStore::in_dir(dir.path());
        store.save(&Profile::new()).expect("saved");
        let mode = fs::metadata(store.path())
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "no access for group or others");
    }

    #[test]
    fn a_damaged_profile_is_refused_with_a_way_out() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = ProfileStore::in_dir(dir.path());
        fs::write(store.path(), "{ not json").expect("written");
        let err = store.load().expect_err("refused").to_string();
        assert!(err.contains("profile clear"), "{err}");
    }
}
