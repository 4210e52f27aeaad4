//! Exports written as a stream: the body goes out a chunk at a time, each chunk serialised
//! from a few hundred entries when the connection is ready for it, rather than the whole
//! journal written into one string first.
//!
//! The bytes are the same as serialising the whole document at once. A pretty-printed JSON
//! document with one array of entries is cut at that array: what comes before it and after it
//! is the document serialised with the array empty, and each element is pretty-printed on its
//! own and indented to the array's depth (JSON strings hold no raw line breaks, so indenting
//! every line is exact).

use axum::body::{Body, Bytes};
use serde::Serialize;

/// How many entries (rows, resources) one chunk holds.
pub const ITEMS_PER_CHUNK: usize = 256;

/// A body of `head`, then `row(item)` for each of `items` in chunks of [`ITEMS_PER_CHUNK`],
/// then `tail`; each chunk is made only when the connection asks for it.
pub fn chunked<T, F>(head: String, items: Vec<T>, row: F, tail: String) -> Body
where
    T: Send + 'static,
    F: Fn(usize, &T) -> Result<String, serde_json::Error> + Send + 'static,
{
    let mut items = items.into_iter().enumerate().peekable();
    let middle = std::iter::from_fn(move || {
        items.peek()?;
        let mut chunk = String::new();
        for (i, item) in items.by_ref().take(ITEMS_PER_CHUNK) {
            match row(i, &item) {
                Ok(text) => chunk.push_str(&text),
                Err(e) => return Some(Err(std::io::Error::other(e))),
            }
        }
        Some(Ok(Bytes::from(chunk)))
    });
    let chunks = std::iter::once(Ok(Bytes::from(head)))
        .chain(middle)
        .chain(std::iter::once(Ok(Bytes::from(tail))));
    Body::from_stream(futures_util::stream::iter(chunks))
}

/// A pretty-printed JSON document whose top-level array `key` holds `items`, as a stream:
/// `without` is the document serialised (pretty) with that array empty, and `element` makes
/// each item's JSON value. The same bytes as `serde_json::to_string_pretty` of the whole.
///
/// # Errors
///
/// When `without` has no empty top-level array `key` (a mistake in the caller).
pub fn pretty_json<T, E, F>(
    without: String,
    key: &str,
    items: Vec<T>,
    element: F,
) -> Result<Body, anyhow::Error>
where
    T: Send + 'static,
    E: Serialize,
    F: Fn(&T) -> E + Send + 'static,
{
    if items.is_empty() {
        return Ok(Body::from(without));
    }
    // A top-level member sits on a line of its own, indented two spaces.
    let marker = format!("\n  \"{key}\": [");
    let open = without
        .find(&format!("{marker}]"))
        .ok_or_else(|| anyhow::anyhow!("no empty array '{key}' to stream into"))?
        + marker.len();
    let (head, rest) = without.split_at(open);
    let tail = format!("\n  {rest}");
    let row = move |i: usize, item: &T| -> Result<String, serde_json::Error> {
        let text = serde_json::to_string_pretty(&element(item))?;
        let separator = if i == 0 { "\n    " } else { ",\n    " };
        Ok(format!("{separator}{}", text.replace('\n', "\n    ")))
    };
    Ok(chunked(head.to_owned(), items, row, tail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The chunks of a body, as they would go out.
    async fn chunks(body: Body) -> Vec<Bytes> {
        use futures_util::StreamExt as _;
        let mut stream = body.into_data_stream();
        let mut out = Vec::new();
        while let Some(chunk) = stream.next().await {
            out.push(chunk.expect("a chunk"));
        }
        out
    }

    fn joined(chunks: &[Bytes]) -> String {
        String::from_utf8(chunks.concat()).expect("UTF-8")
    }

    #[tokio::test]
    async fn a_streamed_document_is_the_same_bytes_as_one_written_at_once_in_many_chunks() {
        let items: Vec<serde_json::Value> = (0..600)
            .map(|n| json!({"id": format!("e{n}"), "nested": {"list": [n, {"deep": "a\nb"}], "empty": []}, "z": null}))
            .collect();
        for n in [0, 1, 2, 600] {
            let whole = json!({"format": "x", "entries": items[..n], "after": {"k": [1, 2]}});
            let mut without = whole.clone();
            without["entries"] = json!([]);
            let body = pretty_json(
                serde_json::to_string_pretty(&without).expect("json"),
                "entries",
                items[..n].to_vec(),
                Clone::clone,
            )
            .expect("a body");
            let chunks = chunks(body).await;
            assert_eq!(
                joined(&chunks),
                serde_json::to_string_pretty(&whole).expect("json"),
                "{n} items"
            );
            if n == 600 {
                // The head, three chunks of entries, the tail.
                assert_eq!(chunks.len(), 5, "{n}");
            }
        }
    }

    #[test]
    fn a_document_without_the_array_is_a_mistake_not_a_wrong_body() {
        let doc = serde_json::to_string_pretty(&json!({"inner": {"entries": []}})).expect("json");
        assert!(pretty_json(doc, "entries", vec![1], |n: &i32| *n).is_err());
    }
}
