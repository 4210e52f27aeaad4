//! The address people reach the server by (`--public-url`), and the name part of a `Host`
//! header, read the same way on both sides.

/// The name part of a `Host` value: without the port, without an IPv6 address's brackets,
/// lower-cased.
pub fn host_name(host: &str) -> String {
    let host = host.trim();
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest)
    } else {
        host.rsplit_once(':')
            .filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()))
            .map_or(host, |(name, _)| name)
    };
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// The host name of a `--public-url` value, checked.
///
/// # Errors
///
/// Why it is not an `http://` or `https://` address with a host.
pub fn host(url: &str) -> Result<String, String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("'{url}' is not an http:// or https:// address"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let name = host_name(authority);
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
    {
        return Err(format!(
            "'{url}' has no host name this server could be reached by"
        ));
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_public_url_gives_its_host_or_a_reason() {
        assert_eq!(
            host("https://spine.example.org/").as_deref(),
            Ok("spine.example.org")
        );
        assert_eq!(
            host("http://clinic.local:8080").as_deref(),
            Ok("clinic.local")
        );
        let e = host("spine.example.org").expect_err("no scheme");
        assert!(e.contains("'spine.example.org'"), "{e}");
        assert!(host("https:///path").is_err());
    }
}
