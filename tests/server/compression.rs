//! Compression: gzip and brotli answers decode to the very bytes of the plain answer, the plan
//! page travels in a quarter of its size, and an answer that shows a secret is never
//! compressed (BREACH).

use std::io::Read;

use super::*;

/// The body as sent, without decoding, and its `content-encoding`.
async fn raw(request: reqwest::RequestBuilder, encoding: Option<&str>) -> (Vec<u8>, String) {
    let request = match encoding {
        Some(e) => request.header("accept-encoding", e),
        None => request,
    };
    let r = request.send().await.expect("sent");
    assert!(r.status().is_success(), "{}", r.status());
    let sent_as = r
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().expect("text").to_owned())
        .unwrap_or_default();
    (r.bytes().await.expect("a body").to_vec(), sent_as)
}

fn decoded(bytes: &[u8], encoding: &str) -> Vec<u8> {
    let mut out = Vec::new();
    match encoding {
        "gzip" => flate2::read::GzDecoder::new(bytes)
            .read_to_end(&mut out)
            .expect("gzip"),
        "br" => brotli::Decompressor::new(bytes, 4096)
            .read_to_end(&mut out)
            .expect("brotli"),
        other => panic!("unexpected encoding {other}"),
    };
    out
}

/// A page with each form's masked CSRF token (different in every answer) taken out.
fn without_csrf(page: &[u8]) -> String {
    let text = String::from_utf8(page.to_vec()).expect("utf-8");
    let mut parts = text.split("name=\"csrf\" value=\"");
    let mut out = parts.next().unwrap_or_default().to_owned();
    for part in parts {
        out.push_str("name=\"csrf\" value=\"…");
        out.push_str(&part[part.find('"').expect("the value's end")..]);
    }
    out
}

/// Makes the same request again.
type MakeRequest<'a> = Box<dyn Fn() -> reqwest::RequestBuilder + 'a>;

fn couple_plan() -> Value {
    json!({
        "you": {"pain_type": "flexion", "role": "receptive", "pain_now": 4, "conditions": ["disc-problem"]},
        "partner": {"pain_type": "extension"},
        "time": "evening"
    })
}

#[tokio::test]
async fn compressed_and_plain_answers_decode_to_the_same_bytes() {
    let app = TestApp::spawn().await;
    let c = Client::new();
    let requests: Vec<(&str, MakeRequest)> = vec![
        (
            "the recommendation",
            Box::new(|| c.post(app.url("/api/v1/recommend")).json(&couple_plan())),
        ),
        (
            "the coach's script",
            Box::new(|| c.get(app.url(spinewise::server::assets::url("coach.js")))),
        ),
        (
            "the stylesheet",
            Box::new(|| c.get(app.url(spinewise::server::assets::url("style.css")))),
        ),
        (
            "the API document",
            Box::new(|| c.get(app.url("/api/v1/openapi.json"))),
        ),
        ("the plan form", Box::new(|| c.get(app.url("/plan")))),
    ];
    for (what, request) in &requests {
        let (plain, sent_as) = raw(request(), None).await;
        assert_eq!(sent_as, "", "{what}: nothing asked, nothing compressed");
        for encoding in ["gzip", "br"] {
            let (body, sent_as) = raw(request(), Some(encoding)).await;
            assert_eq!(sent_as, encoding, "{what}");
            assert!(body.len() < plain.len(), "{what}: {encoding} is smaller");
            let body = decoded(&body, encoding);
            if *what == "the plan form" {
                assert_eq!(without_csrf(&body), without_csrf(&plain), "{what}");
                assert_ne!(body, plain, "each answer masks the CSRF token afresh");
            } else {
                assert_eq!(body, plain, "{what}, {encoding}");
            }
        }
    }
    // Images, which are compressed already, go as they are.
    let (_, sent_as) = raw(
        c.get(app.url(spinewise::server::assets::url("icon-512.png"))),
        Some("gzip, br"),
    )
    .await;
    assert_eq!(sent_as, "");
    drop(requests);
    app.stop().await;
}

#[tokio::test]
async fn the_plan_page_travels_in_a_quarter_of_its_former_size() {
    let app = TestApp::spawn().await;
    let b = Browser::new();
    let csrf = page_csrf(&b, &app, "/plan").await;
    let form = [
        ("csrf", csrf.as_str()),
        ("pain_type", "flexion"),
        ("role", "receptive"),
        ("partner_pain_type", "none"),
        ("time", ""),
    ];
    let (plain, _) = raw(b.post(app.url("/plan")).form(&form), None).await;
    let (sent, sent_as) = raw(b.post(app.url("/plan")).form(&form), Some("gzip, br")).await;
    assert_eq!(sent_as, "br", "brotli when both are accepted");
    assert!(
        String::from_utf8_lossy(&plain).contains("Positions, best first"),
        "a whole plan"
    );
    // Before compression, this plan page was sent as about 66 KB.
    assert!(plain.len() > 50 * 1024, "{} bytes", plain.len());
    assert!(
        sent.len() * 4 <= 66 * 1024,
        "{} bytes sent for {} bytes of page",
        sent.len(),
        plain.len()
    );
    app.stop().await;
}

#[tokio::test]
async fn an_answer_that_shows_a_secret_is_never_compressed() {
    let app = TestApp::spawn().await;
    let account = sign_up(app.url(""), "breach", "a long enough password").await;
    for path in ["/account", "/journal/share", "/partner"] {
        let (body, sent_as) = raw(account.get(app.url(path)), Some("gzip, br")).await;
        assert_eq!(sent_as, "", "{path} is sent as it is");
        assert!(!body.is_empty(), "{path}");
    }
    // The same visitor's other pages are compressed: their one secret, the CSRF token, is
    // masked afresh in each.
    let (_, sent_as) = raw(account.get(app.url("/journal")), Some("gzip")).await;
    assert_eq!(sent_as, "gzip");
    app.stop().await;
}
