//! Redaction by address, not by spelling: generated addresses, each written in a generated
//! spelling (with a port, in a URL, bracketed, IPv4-mapped, compressed or expanded IPv6 in
//! any case, in a file name, as UTF-16 or gzip), are found by the one matcher, replaced by
//! the redaction, and stop the publish audit.

use fleetdoc::base::addresses::{Matcher, Needle};
use fleetdoc::diag::Diagnostics;
use fleetdoc::render::output::Output;
use proptest::prelude::*;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Every way the tests write an IPv6 address.
fn v6_spellings(a: Ipv6Addr) -> Vec<String> {
    let s = a.segments();
    let full = s.map(|x| format!("{x:x}")).join(":");
    let padded = s.map(|x| format!("{x:04x}")).join(":");
    vec![
        a.to_string(),
        a.to_string().to_ascii_uppercase(),
        full.clone(),
        padded.to_ascii_uppercase(),
        format!("[{a}]:443"),
        format!("http://[{padded}]:8080/x"),
        format!("ssh://[{}]", full.to_ascii_uppercase()),
    ]
}

/// Every way the tests write an IPv4 address.
fn v4_spellings(a: Ipv4Addr) -> Vec<String> {
    let o = a.octets();
    let mapped_hex = format!(
        "::ffff:{:x}:{:x}",
        u16::from_be_bytes([o[0], o[1]]),
        u16::from_be_bytes([o[2], o[3]])
    );
    vec![
        a.to_string(),
        format!("{a}:8080"),
        format!("http://{a}:8080/"),
        format!("::ffff:{a}"),
        format!("[::FFFF:{a}]:22"),
        mapped_hex,
        format!("img-{a}.png"),
        o.map(|x| format!("{x:03}")).join("."),
    ]
}

/// The text, and the same text in the encodings a published file may use.
fn encodings(text: &str) -> Vec<(&'static str, Vec<u8>)> {
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let mut be_bom = vec![0xfe, 0xff];
    be_bom.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    vec![
        ("utf-8", text.as_bytes().to_vec()),
        ("utf-16le", le),
        ("utf-16be with bom", be_bom),
        ("gzip", gz.finish().unwrap()),
    ]
}

fn audit_errors(name: &str, bytes: Vec<u8>, m: &Matcher) -> usize {
    let mut out = Output::default();
    out.bytes(name, bytes);
    let mut diags = Diagnostics::new();
    fleetdoc::publish::audit::audit(&out, &[], m, &mut diags);
    diags.errors()
}

fn check(addr: IpAddr, spellings: Vec<String>) -> Result<(), TestCaseError> {
    let m = Matcher::new(vec![(Needle::Ip(addr), "gamma".into())]);
    for spelt in spellings {
        let text = format!("see {spelt}, then more");
        let found = m.find_all(text.as_bytes());
        prop_assert_eq!(found.len(), 1, "{} in {:?}", addr, text);
        let redacted = m.replace_all(&text);
        prop_assert!(
            m.find_all(redacted.as_bytes()).is_empty() && redacted.contains("gamma"),
            "{} left in {:?}",
            addr,
            redacted
        );
        for (encoding, bytes) in encodings(&text) {
            prop_assert!(
                audit_errors("page.txt", bytes, &m) > 0,
                "the audit passed {} in {:?} as {}",
                addr,
                text,
                encoding
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_spelling_of_an_ipv4_address_is_found_redacted_and_audited(a in any::<u32>()) {
        let a = Ipv4Addr::from(a);
        check(IpAddr::V4(a), v4_spellings(a))?;
    }

    #[test]
    fn every_spelling_of_an_ipv6_address_is_found_redacted_and_audited(a in any::<u128>(), zeros in 0usize..8) {
        // Runs of zero groups, so that compressed spellings are generated too.
        let mut s = Ipv6Addr::from(a).segments();
        for x in s.iter_mut().skip(zeros / 2).take(zeros) {
            *x = 0;
        }
        let a = Ipv6Addr::from(s);
        check(IpAddr::V6(a), v6_spellings(a))?;
    }

    #[test]
    fn a_dns_name_is_found_in_any_case_and_inside_file_names(
        labels in proptest::collection::vec("[a-z][a-z0-9-]{0,6}[a-z0-9]", 2..4),
        upper in any::<bool>(),
    ) {
        let name = labels.join(".");
        let m = Matcher::new(vec![(Needle::Name(name.clone()), "gamma".into())]);
        let shown = if upper { name.to_ascii_uppercase() } else { name.clone() };
        for spelt in [
            shown.clone(),
            format!("{shown}.png"),
            format!("https://{shown}:8443/x"),
            format!("admin@{shown}"),
            format!("x.{shown}"),
        ] {
            let text = format!("see {spelt}, then");
            prop_assert_eq!(m.find_all(text.as_bytes()).len(), 1, "{:?}", text);
            let file = format!("{}.html", spelt.replace('/', "_"));
            let errors = audit_errors(&file, text.into_bytes(), &m);
            prop_assert!(errors >= 2, "{} errors for {:?}", errors, spelt);
        }
    }
}

#[test]
fn a_one_label_host_is_redacted_where_it_stands_as_a_host_and_nowhere_else() {
    let m = Matcher::new(vec![(Needle::Name("db".into()), "epsilon".into())]);
    let text = "The db is small; db-tools, db.example and mydb stay.\n\
                ssh admin@db\nhttp://db:5432/ and db:5432\n$ ssh -p 2222 db\n";
    assert_eq!(
        m.replace_all(text),
        "The db is small; db-tools, db.example and mydb stay.\n\
         ssh admin@epsilon\nhttp://epsilon:5432/ and epsilon:5432\n$ ssh -p 2222 epsilon\n"
    );
}

#[test]
fn an_address_in_a_compressed_png_text_chunk_stops_the_audit() {
    let m = Matcher::new(vec![(
        Needle::Ip("2001:db8::42".parse().unwrap()),
        "gamma".into(),
    )]);
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, 1, 1);
        enc.set_color(png::ColorType::Grayscale);
        enc.add_ztxt_chunk("Comment".into(), "served at [2001:DB8:0::42]:443".into())
            .unwrap();
        enc.add_itxt_chunk("Source".into(), "2001:0db8::0042".into())
            .unwrap();
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[0]).unwrap();
    }
    let mut out = Output::default();
    out.bytes("diagram.png", png);
    let mut diags = Diagnostics::new();
    fleetdoc::publish::audit::audit(&out, &[], &m, &mut diags);
    let shown: Vec<String> = diags.sorted().iter().map(|d| d.message.clone()).collect();
    assert!(
        shown.iter().any(|d| d.contains("in a PNG zTXt text chunk")),
        "{shown:#?}"
    );
}
