//! Reading a posted form: its fields by name, and typed values with a message per bad field
//! that names the field by its label, so that the form can come back with what was typed.

/// What a form was filled in with, by field name (checkboxes may repeat).
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    pub fn one(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_owned())
            .collect()
    }

    /// The form without the field `name`: sent back after a conflict without its entry id,
    /// so that the next send makes a new entry.
    pub fn without(&self, name: &str) -> Fields {
        Fields(self.0.iter().filter(|(k, _)| k != name).cloned().collect())
    }

    pub fn has(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && v == value)
    }
}

/// Reads the fields of a form, collecting a message per bad field.
pub struct Reader<'f> {
    /// The form.
    pub fields: &'f Fields,
    /// A message per bad field, in the order read.
    pub errors: Vec<String>,
}

impl<'f> Reader<'f> {
    pub fn parse<T: std::str::FromStr>(&mut self, name: &str, label: &str) -> Option<T>
    where
        T::Err: std::fmt::Display,
    {
        let raw = self.fields.one(name);
        if raw.is_empty() {
            return None;
        }
        match raw.parse::<T>() {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(format!("{label}: {e}."));
                None
            }
        }
    }

    pub fn required<T: std::str::FromStr>(&mut self, name: &str, label: &str) -> Option<T>
    where
        T::Err: std::fmt::Display,
    {
        if self.fields.one(name).is_empty() {
            self.errors.push(format!("{label}: please answer."));
            return None;
        }
        self.parse(name, label)
    }

    pub fn note(&self) -> Option<String> {
        let n = self.fields.one("note");
        (!n.is_empty()).then(|| n.to_owned())
    }
}

/// The words of a form answered with a conflict: the entry id was already used for other
/// answers.
pub const CONFLICT_MESSAGE: &str = "This form had already been used for another entry. Check the answers and send it again: it will be saved as a new entry.";

pub use spinewise_domain::words::capitalise;

/// How the back felt after exercise, as radio buttons: (value, label, chosen).
pub fn felt_choices(chosen: &str) -> Vec<(String, String, bool)> {
    spinewise_domain::vocab::Felt::ALL
        .iter()
        .map(|f| {
            let v = f.as_str();
            (v.to_owned(), capitalise(v), v == chosen)
        })
        .collect()
}

/// A 0–10 pain scale as radio buttons: (value, chosen).
pub fn pain_choices(chosen: &str) -> Vec<(u8, bool)> {
    (0..=10).map(|v| (v, chosen == v.to_string())).collect()
}
