//! Email verification: verification mails sent and resent (each address's outcome in a `SendResult` list, with
//! the codes the reference's examples show), the token that verifies an address, the list, the lookup and
//! deletion.

use serde_json::{json, Map, Value};

use super::{Answer, Request};
use crate::account::{format_date, Account, EmailVerification};
use crate::codes::Code;
use crate::fault::invalid_parameter;

/// One address's outcome: its `Email`, and the code and message of the table.
fn send_result(email: &str, code: Code) -> Value {
    json!({"Email": email, "Code": code.as_str(), "Message": code.info().message})
}

/// `SubmitEmailVerification` and `ResendEmailVerification`: a mail (a new token) for each address listed. An
/// address that is not one, or (on resend) one never submitted, is in `FailList`; one verified, or (on submit,
/// without `SendIfExist`) one already sent, is in `ExistList`.
pub(super) fn submit(account: &mut Account, request: &Request<'_>) -> Answer {
    let resend = request.action == "ResendEmailVerification";
    let send_again = request.params.bool("SendIfExist") == Some(true);
    let now = account.now;
    let (mut success, mut exist, mut fail) = (Vec::new(), Vec::new(), Vec::new());
    let listed = request.params.text("Email");
    for email in listed.split(',').map(str::trim).filter(|email| !email.is_empty()) {
        if !email.contains('@') {
            fail.push(send_result(email, Code::ParameterIllegall));
            continue;
        }
        let token = account.uuid();
        let known = account
            .email_verifications
            .iter_mut()
            .find(|verification| verification.email.eq_ignore_ascii_case(email));
        match known {
            Some(verification) if verification.verified => exist.push(send_result(email, Code::SendTokenQuotaExceeded)),
            Some(_) if !resend && !send_again => exist.push(send_result(email, Code::SendTokenQuotaExceeded)),
            Some(verification) => {
                verification.token = token;
                verification.created = now;
                success.push(send_result(email, Code::Success));
            }
            None if resend => fail.push(send_result(email, Code::ParameterIllegall)),
            None => {
                account.email_verifications.push(EmailVerification {
                    email: email.to_owned(),
                    verified: false,
                    token,
                    created: now,
                    verified_at: None,
                });
                success.push(send_result(email, Code::Success));
            }
        }
    }
    let mut answer = Map::new();
    answer.insert("SuccessList".into(), Value::Array(success));
    answer.insert("FailList".into(), Value::Array(fail));
    if !resend {
        answer.insert("ExistList".into(), Value::Array(exist));
    }
    Ok(Value::Object(answer))
}

fn email_json(verification: &EmailVerification) -> Value {
    json!({
        "Email": verification.email,
        "EmailVerificationNo": format!("EV{}", verification.token.get(..8).unwrap_or_default()),
        "VerificationStatus": i32::from(verification.verified),
        "GmtCreate": format_date(verification.created),
        "GmtModified": format_date(verification.verified_at.unwrap_or(verification.created)),
        "TokenSendTime": format_date(verification.created),
        "VerificationTime": verification.verified_at.map(format_date).unwrap_or_default(),
        "SendIp": "127.0.0.1",
        "ConfirmIp": if verification.verified { "127.0.0.1" } else { "" },
        "UserId": "1234567890",
    })
}

/// `QueryEmailVerification`: an address never submitted is an invalid value.
pub(super) fn query(account: &mut Account, request: &Request<'_>) -> Answer {
    let email = request.params.text("Email");
    account
        .email_verifications
        .iter()
        .find(|verification| verification.email.eq_ignore_ascii_case(&email))
        .map(email_json)
        .ok_or_else(|| invalid_parameter("Email", format!("{email} has no verification")))
}

/// `ListEmailVerification`: filtered by address and status, a page of them.
pub(super) fn list(account: &mut Account, request: &Request<'_>) -> Answer {
    let email = request.params.text("Email");
    let status = request.params.int("VerificationStatus");
    let items: Vec<Value> = account
        .email_verifications
        .iter()
        .filter(|verification| email.is_empty() || verification.email.contains(&email))
        .filter(|verification| status.is_none_or(|status| (status == 1) == verification.verified))
        .map(email_json)
        .collect();
    Ok(request.params.page().bare(items))
}

/// `DeleteEmailVerification`: the addresses' verifications; an address never submitted is in `FailList`.
pub(super) fn delete(account: &mut Account, request: &Request<'_>) -> Answer {
    let (mut success, mut fail) = (Vec::new(), Vec::new());
    let listed = request.params.text("Email");
    for email in listed.split(',').map(str::trim).filter(|email| !email.is_empty()) {
        let before = account.email_verifications.len();
        account
            .email_verifications
            .retain(|verification| !verification.email.eq_ignore_ascii_case(email));
        if account.email_verifications.len() == before {
            fail.push(send_result(email, Code::ParameterIllegall));
        } else {
            success.push(send_result(email, Code::Success));
        }
    }
    Ok(json!({"SuccessList": success, "FailList": fail}))
}

/// `VerifyEmail`: the token of a verification mail verifies its address (and the profiles that use it); any
/// other token is an invalid value.
pub(super) fn verify(account: &mut Account, request: &Request<'_>) -> Answer {
    let token = request.params.text("Token");
    let now = account.now;
    let Some(verification) = account
        .email_verifications
        .iter_mut()
        .find(|verification| !token.is_empty() && verification.token == token)
    else {
        return Err(invalid_parameter("Token", "it is not the token of a verification mail"));
    };
    verification.verified = true;
    verification.verified_at = Some(now);
    let email = verification.email.clone();
    for profile in account
        .profiles
        .iter_mut()
        .filter(|profile| profile.email.eq_ignore_ascii_case(&email))
    {
        profile.email_verified = true;
    }
    Ok(json!({}))
}
