//! Text laid out for a terminal: lines, headings, paragraphs wrapped to a width with a
//! hanging indent, and the sources cited along the way, listed in full at the end. One layout
//! for every command's text output.

use spinewise_domain::Knowledge;

/// Text being laid out at a width.
#[derive(Debug)]
pub struct Text {
    width: usize,
    out: String,
    cited: Vec<String>,
}

impl Text {
    /// Empty text wrapped at `width` columns.
    pub fn new(width: usize) -> Text {
        Text {
            width,
            out: String::new(),
            cited: Vec::new(),
        }
    }

    /// The finished text.
    pub fn finish(self) -> String {
        self.out
    }

    /// One line as it is.
    pub fn line(&mut self, s: &str) {
        self.out.push_str(s);
        self.out.push('\n');
    }

    /// A blank line, unless there is one already (or nothing yet).
    pub fn blank(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// A title, underlined with `=`.
    pub fn title(&mut self, s: &str) {
        self.line(s);
        self.line(&"=".repeat(s.chars().count().min(self.width)));
    }

    /// A heading, after a blank line, underlined with `-`.
    pub fn heading(&mut self, s: &str) {
        self.blank();
        self.line(s);
        self.line(&"-".repeat(s.chars().count().min(self.width)));
    }

    /// A paragraph, wrapped, every line indented by `indent`.
    pub fn para(&mut self, indent: usize, s: &str) {
        self.hanging(indent, "", s);
    }

    /// A paragraph that starts with `lead` and hangs under it.
    pub fn hanging(&mut self, indent: usize, lead: &str, s: &str) {
        self.hanging_by(indent, lead, indent + lead.chars().count(), s);
    }

    /// A paragraph that starts with `lead`, its other lines indented by `rest`. Words are
    /// never split at their hyphens, so that dates and ids stay whole.
    pub fn hanging_by(&mut self, indent: usize, lead: &str, rest: usize, s: &str) {
        let first = format!("{}{lead}", " ".repeat(indent));
        let rest = " ".repeat(rest);
        let options = textwrap::Options::new(self.width.max(40))
            .initial_indent(&first)
            .subsequent_indent(&rest)
            .word_splitter(textwrap::WordSplitter::NoHyphenation);
        for l in textwrap::wrap(s.trim(), options) {
            self.line(&l);
        }
    }

    /// "Sources: …", remembering each for [`Text::references`].
    pub fn sources(&mut self, indent: usize, ids: &[&str]) {
        for id in ids {
            if !self.cited.iter().any(|c| c == id) {
                self.cited.push((*id).to_owned());
            }
        }
        self.hanging(indent, "Sources: ", &ids.join(", "));
    }

    /// The full citations of every source cited so far.
    pub fn references(&mut self, knowledge: &Knowledge) {
        if self.cited.is_empty() {
            return;
        }
        self.heading("Sources");
        let cited = std::mem::take(&mut self.cited);
        for id in &cited {
            if let Ok(s) = knowledge.source(id) {
                self.hanging_by(0, &format!("[{id}] "), 4, &s.citation());
            }
        }
    }

    /// The knowledge base's disclaimer, as the last paragraph.
    pub fn disclaimer(&mut self, knowledge: &Knowledge) {
        self.blank();
        self.para(0, &knowledge.about.disclaimer);
    }
}
