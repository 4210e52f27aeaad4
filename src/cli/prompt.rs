//! Asking questions in the terminal: one answer from a list, or any number of them. Questions
//! go to standard error, so that standard output carries only the result (text or JSON).
//!
//! In a terminal, the arrow keys (or j/k) move, a number key picks, Space ticks, Enter
//! confirms and Esc, q or Ctrl-C cancels. When input is not a terminal (a pipe, a test), the
//! same questions are asked line by line: type the number of an answer, or for a checklist the
//! numbers that apply separated by spaces.

use std::io::{self, BufRead, Write};

use crossterm::event::{self, Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use crossterm::{cursor, execute, queue, style, terminal};

/// The person stopped answering (Esc, q or Ctrl-C in a terminal).
#[derive(Debug, thiserror::Error)]
#[error("cancelled: nothing was saved")]
pub struct Cancelled;

/// The input ended before every question had an answer.
#[derive(Debug, thiserror::Error)]
#[error("the input ended before every question was answered: nothing was saved")]
pub struct EndOfInput;

/// Something that can ask questions.
pub trait Ask {
    /// Shows text that needs no answer.
    fn say(&mut self, text: &str) -> anyhow::Result<()>;
    /// One answer from `options`, as its index.
    fn choose(&mut self, question: &str, options: &[String]) -> anyhow::Result<usize>;
    /// Any number of answers from `options`, as their indices in order.
    fn choose_many(&mut self, question: &str, options: &[String]) -> anyhow::Result<Vec<usize>>;
}

/// Asks line by line: for pipes, scripts and tests.
#[derive(Debug)]
pub struct LinePrompter<R, W> {
    input: R,
    output: W,
}

impl<R: BufRead, W: Write> LinePrompter<R, W> {
    /// Reads answers from `input`, writes questions to `output`.
    pub fn new(input: R, output: W) -> Self {
        LinePrompter { input, output }
    }

    fn read_line(&mut self) -> anyhow::Result<String> {
        let mut line = String::new();
        if self.input.read_line(&mut line)? == 0 {
            // End the pending prompt's line, so that the message after it stands alone.
            writeln!(self.output)?;
            return Err(EndOfInput.into());
        }
        Ok(line.trim().to_owned())
    }

    fn list(&mut self, question: &str, options: &[String]) -> io::Result<()> {
        writeln!(self.output, "\n{question}")?;
        for (i, o) in options.iter().enumerate() {
            writeln!(self.output, "  {}) {o}", i + 1)?;
        }
        Ok(())
    }
}

impl<R: BufRead, W: Write> Ask for LinePrompter<R, W> {
    fn say(&mut self, text: &str) -> anyhow::Result<()> {
        writeln!(self.output, "{text}")?;
        Ok(())
    }

    fn choose(&mut self, question: &str, options: &[String]) -> anyhow::Result<usize> {
        self.list(question, options)?;
        loop {
            write!(self.output, "Answer (1-{}): ", options.len())?;
            self.output.flush()?;
            let line = self.read_line()?;
            match line.parse::<usize>() {
                Ok(n) if (1..=options.len()).contains(&n) => return Ok(n - 1),
                _ => writeln!(
                    self.output,
                    "Please type a number from 1 to {}.",
                    options.len()
                )?,
            }
        }
    }

    fn choose_many(&mut self, question: &str, options: &[String]) -> anyhow::Result<Vec<usize>> {
        self.list(question, options)?;
        loop {
            write!(
                self.output,
                "Type the numbers that apply, separated by spaces, or just press Enter for none: "
            )?;
            self.output.flush()?;
            let line = self.read_line()?;
            let picked: Result<Vec<usize>, ()> = line
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|t| !t.is_empty())
                .map(|t| match t.parse::<usize>() {
                    Ok(n) if (1..=options.len()).contains(&n) => Ok(n - 1),
                    _ => Err(()),
                })
                .collect();
            match picked {
                Ok(mut picked) => {
                    picked.sort_unstable();
                    picked.dedup();
                    return Ok(picked);
                }
                Err(()) => writeln!(
                    self.output,
                    "Please use only numbers from 1 to {}.",
                    options.len()
                )?,
            }
        }
    }
}

/// Asks in an interactive terminal, with the arrow keys and number keys.
#[derive(Debug, Default)]
pub struct TerminalPrompter;

/// Raw mode for as long as it lives, restored even on an error.
struct RawMode;

impl RawMode {
    fn enter() -> io::Result<RawMode> {
        terminal::enable_raw_mode()?;
        Ok(RawMode)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = terminal::disable_raw_mode();
        let _ = execute!(io::stderr(), cursor::Show);
    }
}

enum Key {
    Up,
    Down,
    Toggle,
    Digit(usize),
    Enter,
    Cancel,
    Other,
}

fn read_key() -> io::Result<Key> {
    loop {
        if let Event::Key(KeyEvent {
            code,
            modifiers,
            kind: KeyEventKind::Press,
            ..
        }) = event::read()?
        {
            return Ok(match code {
                KeyCode::Up | KeyCode::Char('k') => Key::Up,
                KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => Key::Down,
                KeyCode::Char(' ') => Key::Toggle,
                KeyCode::Char('c') if modifiers.contains(KeyModifiers::CONTROL) => Key::Cancel,
                KeyCode::Char('0') => Key::Digit(10),
                KeyCode::Char(c @ '1'..='9') => Key::Digit(c as usize - '0' as usize),
                KeyCode::Enter => Key::Enter,
                KeyCode::Esc | KeyCode::Char('q') => Key::Cancel,
                _ => Key::Other,
            });
        }
    }
}

/// Draws the options with the cursor and the ticks, each wrapped to the terminal's width so
/// that the count of lines drawn (returned) is exact and the next redraw lands in place.
fn draw(
    out: &mut impl Write,
    options: &[String],
    at: usize,
    ticked: Option<&[bool]>,
) -> io::Result<u16> {
    let width = terminal::size().map_or(80, |(cols, _)| usize::from(cols).max(20));
    let mut lines = 0u16;
    for (i, o) in options.iter().enumerate() {
        let pointer = if i == at { ">" } else { " " };
        let number = if i < 10 {
            format!("{}.", (i + 1) % 10)
        } else {
            "  ".to_owned()
        };
        let tick = match ticked {
            Some(t) if t[i] => "[x] ",
            Some(_) => "[ ] ",
            None => "",
        };
        let lead = format!("{pointer} {number} {tick}");
        let indent = " ".repeat(lead.chars().count());
        let wrap = textwrap::Options::new(width - 1)
            .initial_indent(&lead)
            .subsequent_indent(&indent);
        for line in textwrap::wrap(o, wrap) {
            queue!(
                out,
                style::Print(line),
                terminal::Clear(terminal::ClearType::UntilNewLine),
                style::Print("\r\n")
            )?;
            lines = lines.saturating_add(1);
        }
    }
    out.flush()?;
    Ok(lines)
}

/// Wraps text to the terminal's width.
fn wrapped(text: &str) -> String {
    let width = terminal::size().map_or(80, |(cols, _)| usize::from(cols).max(20));
    textwrap::fill(text, width - 1)
}

impl TerminalPrompter {
    fn run(
        &mut self,
        question: &str,
        hint: &str,
        options: &[String],
        multi: bool,
    ) -> anyhow::Result<Vec<usize>> {
        let mut out = io::stderr();
        writeln!(out, "\n{}\n{}", wrapped(question), wrapped(hint))?;
        let _raw = RawMode::enter()?;
        execute!(out, cursor::Hide)?;
        let mut at = 0usize;
        let mut ticked = vec![false; options.len()];
        let mut lines = draw(&mut out, options, at, multi.then_some(&ticked[..]))?;
        loop {
            match read_key()? {
                Key::Up => at = at.checked_sub(1).unwrap_or(options.len() - 1),
                Key::Down => at = (at + 1) % options.len(),
                Key::Toggle if multi => ticked[at] = !ticked[at],
                Key::Digit(n) if n <= options.len() => {
                    at = n - 1;
                    if multi {
                        ticked[at] = !ticked[at];
                    } else {
                        // Show the answer picked before moving on.
                        queue!(out, cursor::MoveUp(lines), cursor::MoveToColumn(0))?;
                        draw(&mut out, options, at, None)?;
                        return Ok(vec![at]);
                    }
                }
                Key::Enter if multi => {
                    return Ok((0..options.len()).filter(|&i| ticked[i]).collect());
                }
                Key::Enter => return Ok(vec![at]),
                Key::Cancel => return Err(Cancelled.into()),
                _ => {}
            }
            queue!(out, cursor::MoveUp(lines), cursor::MoveToColumn(0))?;
            lines = draw(&mut out, options, at, multi.then_some(&ticked[..]))?;
        }
    }
}

impl Ask for TerminalPrompter {
    fn say(&mut self, text: &str) -> anyhow::Result<()> {
        eprintln!("{}", wrapped(text));
        Ok(())
    }

    fn choose(&mut self, question: &str, options: &[String]) -> anyhow::Result<usize> {
        let picked = self.run(
            question,
            "(arrow keys and Enter, or the answer's number; Esc to cancel)",
            options,
            false,
        )?;
        picked.first().copied().ok_or_else(|| Cancelled.into())
    }

    fn choose_many(&mut self, question: &str, options: &[String]) -> anyhow::Result<Vec<usize>> {
        self.run(
            question,
            "(arrow keys and Space, or the numbers, to tick; Enter when done, with none ticked if none apply; Esc to cancel)",
            options,
            true,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("option {i}")).collect()
    }

    #[test]
    fn a_line_answer_is_asked_again_until_it_is_valid() {
        let mut out = Vec::new();
        let mut p = LinePrompter::new(&b"7\nabc\n2\n"[..], &mut out);
        assert_eq!(p.choose("Which?", &options(3)).expect("an answer"), 1);
        let shown = String::from_utf8(out).expect("utf-8");
        assert_eq!(
            shown.matches("Please type a number from 1 to 3.").count(),
            2
        );
    }

    #[test]
    fn a_checklist_takes_several_numbers_or_none() {
        let mut p = LinePrompter::new(&b"3, 1 3\n\n"[..], Vec::new());
        assert_eq!(
            p.choose_many("Which?", &options(3)).expect("answers"),
            vec![0, 2]
        );
        assert_eq!(
            p.choose_many("Which?", &options(3)).expect("answers"),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn the_end_of_input_is_not_an_answer() {
        let mut p = LinePrompter::new(&b""[..], Vec::new());
        let err = p.choose("Which?", &options(2)).expect_err("no answer");
        assert!(err.is::<EndOfInput>());
    }
}
