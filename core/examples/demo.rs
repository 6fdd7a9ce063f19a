//! `make demo`: verifies a real sample delivery of every profile (the
//! providers' documented or SDK-tested values), rejects a tampered copy of
//! each with its error code, signs an UnknownPay S2S request, and explains a
//! failure caused by a secret with a trailing newline.

use hooksig::{Profile, Verifier};

struct Sample {
    profile: &'static str,
    secret: &'static str,
    headers: &'static [(&'static str, &'static str)],
    body: &'static str,
    now: u64,
}

const SAMPLES: &[Sample] = &[
    Sample {
        profile: "unknownpay",
        secret: "unkpay_whsec_test_0123456789abcdef",
        headers: &[
            ("X-Webhook-Signature", "04ac6b7a39f6e1cbc11200e5597eb9fe6fd1d48cce61fb4a441b9c79a03a03fd"),
            ("X-Webhook-Event-Id", "test"),
        ],
        body: r#"{"event_id":"test","event_type":"webhook.test"}"#,
        now: 1_700_000_000,
    },
    Sample {
        profile: "unipayment",
        secret: "s3cretKey@2024%",
        headers: &[("hmac_signature", "cWcyVMKMQS8M+zwlUxPuROjF3hLWzAL6TSvWKC8K3FE=")],
        body: r#"{"ipn_type":"invoice","event":"invoice_created","app_id":"2a9bd90b-fe95-4659-83cb-04de662fbbac","payment_method_type":"Unknown","invoice_id":"Gy3TVe9Fbe5idGbez19pMr","order_id":"b49f70e5-a0da-4450-ae86-69b0a81708cc","price_amount":1.0,"price_currency":"USD","network":null,"address":null,"pay_currency":null,"pay_amount":0.0,"exchange_rate":0.0,"paid_amount":0.0,"confirmed_amount":0.0,"refunded_price_amount":0.0,"create_time":"2024-08-16T17:35:51.4194631Z","expiration_time":"2024-08-16T17:55:51.4195145Z","status":"New","error_status":"None","ext_args":"Merchant Pass Through Data","channel":null,"notify_id":"b2fd88c1-3d34-4bd2-9f55-c3e5b3097173","notify_time":"2024-08-16T17:35:51.4443531Z"}"#,
        now: 1_723_829_751,
    },
    Sample {
        profile: "akashicpay",
        secret: "akashic_api_secret_test",
        headers: &[("Signature", "e4413fe0e91135b50a3ca1ff85df801abc3b79d0318360faf21b4993e3a1d7ef")],
        body: r#"{"layer":"L1Transaction","amount":"0.100000","coinSymbol":"TRX","initiatedAt":"2024-09-05T18:48:44.336Z","confirmedAt":"2024-09-05T18:50:02.133Z","feesEstimate":"6.114654","fromAddress":"TMvP2eXkQLib137dpHP4xyVxDSEJGHeh6V","identifier":"test022","internalFee":{"withdraw":"1.000000"},"l2TxnHash":"AS54535428a38d9aea28543bd458961963b9326c6c487b1962424bbaa155991490","senderIdentity":"ASbb8efead2d5ff2f618a85895bac8e8ac1bae236d4d730bf113400b7e6f108ca5","status":"Confirmed","toAddress":"TXRW3hffYsD5cte1vpDg125K4WD6PYdmu7","tokenSymbol":"USDT","txHash":"0bce253dfeaf05eb6b524c43cfedcc263b78fdeae6f62953c15a131713ada8f8","feesPaid":"5.822220","feeIsDelegated":false,"directResolution":false}"#,
        now: 1_725_562_202,
    },
    Sample {
        profile: "key2pay",
        secret: "whsec_k2p_test_secret",
        headers: &[
            ("X-Key2Pay-Signature", "t=1714672890,v1=a3358290a40070ebb06ce96de8320ecdc55740a52fd9cf2f9f34ae28f3ad33e1"),
            ("X-Key2Pay-Delivery", "dlv_1zP9e"),
        ],
        body: r#"{"id":"evt_k2p_1","type":"payment.completed","data":{"id":"pay_123","amount":"100.00","currency":"MXN"}}"#,
        now: 1_714_672_900,
    },
    Sample {
        profile: "stripe",
        secret: "whsec_test_secret",
        headers: &[(
            "Stripe-Signature",
            "t=1700000000,v1=d95c6b7477fbd7e9f90b1b0ef5f9c7ac25abca5382460e0d988c2b2a5b71b990,v0=8b061a3051ef689ab7efc7f8d00c5e613d7fbdddb9c90551966d61321795c554",
        )],
        body: r#"{"id":"evt_test_webhook","object":"event"}"#,
        now: 1_700_000_000,
    },
    Sample {
        profile: "standard-webhooks",
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        headers: &[
            ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
            ("webhook-timestamp", "1614265330"),
            ("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
        ],
        body: r#"{"test": 2432232314}"#,
        now: 1_614_265_330,
    },
    Sample {
        profile: "svix",
        secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        headers: &[
            ("svix-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
            ("svix-timestamp", "1614265330"),
            ("svix-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
        ],
        body: r#"{"test": 2432232314}"#,
        now: 1_614_265_330,
    },
    Sample {
        profile: "github",
        secret: "It's a Secret to Everybody",
        headers: &[
            ("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
            ("X-GitHub-Delivery", "72d3162e-cc78-11e3-81ab-4c9367dc0958"),
        ],
        body: "Hello, World!",
        now: 1_700_000_000,
    },
    Sample {
        profile: "shopify",
        secret: "shpss_test_client_secret",
        headers: &[
            ("X-Shopify-Hmac-Sha256", "/IJOYuJsbMDz2XUV9jMaEDe0N/DNM5lCqStj3ATrIu0="),
            ("X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043"),
        ],
        body: r#"{"id":820982911946154508,"email":"jon@example.com","total_price":"10.00"}"#,
        now: 1_700_000_000,
    },
    Sample {
        profile: "slack",
        secret: "8f742231b10e8888abcd99yyyzzz85a5",
        headers: &[
            ("X-Slack-Signature", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"),
            ("X-Slack-Request-Timestamp", "1531420618"),
        ],
        body: "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c",
        now: 1_531_420_623,
    },
];

/// The same body with its last digit (or last byte) changed.
fn tamper(body: &str) -> Vec<u8> {
    let mut bytes = body.as_bytes().to_vec();
    let at = bytes.iter().rposition(u8::is_ascii_digit).unwrap_or(bytes.len().saturating_sub(1));
    if let Some(b) = bytes.get_mut(at) {
        *b = if *b == b'9' { b'8' } else { b.wrapping_add(1) };
    }
    bytes
}

fn main() -> Result<(), Box<dyn core::error::Error>> {
    println!("hooksig {} demo: real sample deliveries, verified and tampered\n", hooksig::VERSION);
    println!("{:<18} {:<62} tampered body", "profile", "genuine delivery");
    let mut failures = 0;
    for s in SAMPLES {
        let verifier = Verifier::new(s.profile.parse::<Profile>()?, &[s.secret])?;
        let genuine = match verifier.verify(s.headers, s.body.as_bytes(), s.now) {
            Ok(v) => format!(
                "OK secret #{}{}{}",
                v.secret_index,
                v.timestamp.map(|t| format!(" t={t}")).unwrap_or_default(),
                v.id.map(|id| format!(" id={id}")).unwrap_or_default()
            ),
            Err(e) => {
                failures += 1;
                format!("UNEXPECTED {}", e.code())
            }
        };
        let tampered = match verifier.verify(s.headers, &tamper(s.body), s.now) {
            Ok(_) => {
                failures += 1;
                "UNEXPECTEDLY ACCEPTED".to_owned()
            }
            Err(e) => format!("{} (HTTP {})", e.code(), e.http_status()),
        };
        println!("{:<18} {:<62} {}", s.profile, genuine, tampered);
    }

    let custom: Profile = "custom;header=X-Signature;prefix=sha256=;encoding=hex".parse()?;
    let headers = hooksig::sign(&custom, b"my-secret", b"{\"ok\":true}", hooksig::SignOptions::default())?;
    let pairs: Vec<(&str, &str)> = headers.iter().map(|h| (h.name(), h.value())).collect();
    let verifier = Verifier::new(custom, &["my-secret"])?;
    println!(
        "{:<18} {:<62} {}",
        "custom",
        verifier
            .verify(&pairs, b"{\"ok\":true}", 0)
            .map_or_else(|e| e.code().to_owned(), |_| "OK (signed here)".into()),
        verifier.verify(&pairs, b"{\"ok\":false}", 0).map_or_else(|e| e.code().to_owned(), |_| "ACCEPTED".into()),
    );

    println!("\nStale and future deliveries (Stripe sample, default window 300 s both ways):");
    let stripe = SAMPLES.iter().find(|s| s.profile == "stripe").ok_or("no stripe sample")?;
    let verifier = Verifier::new(Profile::Stripe, &[stripe.secret])?;
    for (label, now) in [("301 s later", stripe.now + 301), ("1 h earlier", stripe.now - 3600)] {
        let code = verifier.verify(stripe.headers, stripe.body.as_bytes(), now).map_or_else(|e| e.code(), |_| "OK");
        println!("  now = {label:<12} -> {code}");
    }

    println!("\nSigning an UnknownPay S2S request (POST /v1/deposits):");
    let body = br#"{"amount":"500.00","payer_bank_provider":"KBANK","payer_bank_account_name":"Somchai Jaidee","user_ref":"INV-1001"}"#;
    let secret = b"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    let line = hooksig::RequestLine::new("POST", "/v1/deposits")?;
    let options = hooksig::SignOptions {
        timestamp: Some(1_700_000_000),
        request: Some(line),
        key_id: Some("unk_test_abc"),
        ..Default::default()
    };
    let signed = hooksig::sign(&Profile::UnknownPayS2s, secret, body, options)?;
    for header in &signed {
        println!("  {}: {}", header.name(), header.value());
    }
    let pairs: Vec<(&str, &str)> = signed.iter().map(|h| (h.name(), h.value())).collect();
    let verifier = Verifier::new(Profile::UnknownPayS2s, &[secret])?;
    let verdict = verifier.verify_request(&pairs, body, Some(line), 1_700_000_000);
    println!("  verified by the same core: {}", verdict.map_or_else(|e| e.code(), |_| "OK"));

    println!("\nWhy a delivery fails (hooksig::explain): the GitHub sample, secret read from a file with a newline:");
    let github = SAMPLES.iter().find(|s| s.profile == "github").ok_or("no github sample")?;
    let secret = format!("{}\n", github.secret);
    let tolerance = hooksig::Tolerance::DEFAULT;
    let explained = hooksig::explain(
        &Profile::GitHub,
        &[secret],
        tolerance,
        github.headers,
        github.body.as_bytes(),
        None,
        github.now,
    );
    println!("  verdict {}", explained.verdict_code());
    for finding in &explained.findings {
        println!("  {}: {finding}", finding.code());
    }
    if !explained.findings.contains(&hooksig::Finding::SecretWhitespace { secret_index: 0 }) {
        failures += 1;
    }

    if failures > 0 {
        return Err(format!("{failures} sample(s) did not behave as expected").into());
    }
    Ok(())
}
