//! Transfers in (submission with a verified profile, the list, the lookup, cancellation) and transfers out (the
//! authorization code, the transfer, its cancellation, where it stands).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::orders::{new_domain, order_items, verified_profile};
use super::{field, task_created, task_on_domains, valid_name, Answer, Request};
use crate::account::{format_date, Account, DetailStatus, Domain, Effect, NewDetail, Task, TaskDetail};
use crate::codes::Code;
use crate::fault::invalid_parameter;

/// `SaveSingleTaskForCreatingOrderTransfer`, `SaveBatchTaskForCreatingOrderTransfer`: a task taking each domain in
/// with a real-name-verified profile of the account. The name must be registered elsewhere (the account's
/// `taken` list plays that); one that is not fails in the task. A transfer in is an instance
/// (`QueryTransferInByInstanceId`) from its submission on.
pub(super) fn transfer_in(account: &mut Account, request: &Request<'_>) -> Answer {
    let mut details = Vec::new();
    for item in order_items(request, "OrderTransferParam") {
        let name = item.text("DomainName").to_ascii_lowercase();
        valid_name(&item.parameter("DomainName"), &name)?;
        if item.text("AuthorizationCode").is_empty() {
            return Err(crate::fault::missing_parameter(&item.parameter("AuthorizationCode")));
        }
        let profile = verified_profile(account, &item)?;
        let mut domain = new_domain(&name, &item, profile)?;
        account.ensure_idle(&name)?;
        domain.instance_id = account.instance_id();
        details.push(NewDetail {
            domain: name,
            instance_id: domain.instance_id.clone(),
            effect: Effect::Add {
                domain: Box::new(domain),
                years: 1,
                transfer_in: true,
            },
        });
    }
    let client_ip = request.params.text("UserClientIp");
    let task_no = account.create_task(request.action, "ORDER_TRANSFER", &client_ip, details);
    Ok(task_created(task_no))
}

/// Every transfer in of the account (pending, done or failed), newest first, with the domain it brings.
fn transfers_in(account: &Account) -> impl Iterator<Item = (&Task, &TaskDetail, &Domain)> {
    account.tasks.iter().rev().flat_map(|task| {
        task.details.iter().filter_map(move |detail| match &detail.effect {
            Effect::Add {
                domain,
                transfer_in: true,
                ..
            } => Some((task, detail, &**domain)),
            _ => None,
        })
    })
}

/// Where a transfer in stands, as `TransferInInfo` says it.
struct TransferInState<'a> {
    /// `SimpleTransferInStatus`.
    simple: &'static str,
    /// `Status`.
    status: i32,
    /// `ResultCode`.
    result_code: &'static str,
    /// `ResultMsg`.
    result_message: &'a str,
}

fn transfer_in_state(detail: &TaskDetail) -> TransferInState<'_> {
    let (simple, status, result_code, result_message) = match &detail.status {
        DetailStatus::Waiting | DetailStatus::Executing => ("PENDING", 39, "transferSubmitted", ""),
        DetailStatus::Succeeded => ("SUCCESS", 59, "", ""),
        DetailStatus::Failed { reason, canceled: true } => ("FAIL", 50, "clientCancelled", reason.as_str()),
        DetailStatus::Failed { reason, .. } => ("FAIL", 51, "serverCancelled", reason.as_str()),
    };
    TransferInState {
        simple,
        status,
        result_code,
        result_message,
    }
}

/// A transfer in as a `TransferInInfo` item.
fn transfer_in_item(account: &Account, task: &Task, detail: &TaskDetail, domain: &Domain) -> Value {
    let state = transfer_in_state(detail);
    let done = detail.status.is_final().then_some(detail.updated);
    let expiration = account.domain(&domain.name).map_or(0, |held| held.expiration_date);
    json!({
        "DomainName": domain.name,
        "InstanceId": detail.instance_id,
        "Email": domain.email,
        "ExpirationDate": format_date(expiration),
        "ExpirationDateLong": expiration,
        "ModificationDate": format_date(detail.updated),
        "ModificationDateLong": detail.updated,
        "NeedMailCheck": false,
        "WhoisMailStatus": true,
        "ProgressBarType": 3,
        "ResultCode": state.result_code,
        "ResultMsg": state.result_message,
        "ResultDate": done.map(format_date).unwrap_or_default(),
        "ResultDateLong": done,
        "SimpleTransferInStatus": state.simple,
        "Status": state.status,
        "SubmissionDate": format_date(task.created),
        "SubmissionDateLong": task.created,
        "TransferAuthorizationCodeSubmissionDate": format_date(task.created),
        "TransferAuthorizationCodeSubmissionDateLong": task.created,
        "UserId": "1234567890",
    })
}

/// `QueryTransferInList`: the transfers in, filtered by name, status and submission time, a page of them.
pub(super) fn transfer_in_list(account: &mut Account, request: &Request<'_>) -> Answer {
    let params = &request.params;
    let name = params.text("DomainName").to_ascii_lowercase();
    let status = params.text("SimpleTransferInStatus");
    let items = transfers_in(account)
        .filter(|(_, _, domain)| name.is_empty() || domain.name.contains(&name))
        .filter(|(_, detail, _)| status.is_empty() || transfer_in_state(detail).simple == status)
        .filter(|(task, ..)| params.in_range(task.created, "SubmissionStartDate", "SubmissionEndDate"))
        .map(|(task, detail, domain)| transfer_in_item(account, task, detail, domain))
        .collect();
    Ok(params.page().wrapped(items, "TransferInInfo"))
}

/// `QueryTransferInByInstanceId`: an instance id no transfer in has is an invalid value.
pub(super) fn transfer_in_by_instance_id(account: &mut Account, request: &Request<'_>) -> Answer {
    let id = request.params.text("InstanceId");
    transfers_in(account)
        .find(|(_, detail, _)| detail.instance_id == id)
        .map(|(task, detail, domain)| transfer_in_item(account, task, detail, domain))
        .ok_or_else(|| invalid_parameter("InstanceId", format!("{id} is not a transfer in of this account")))
}

/// `SaveSingleTaskForCancelingTransferIn`: the pending transfer in fails as the customer's cancellation, and a
/// task records the cancellation.
pub(super) fn cancel_transfer_in(account: &mut Account, request: &Request<'_>) -> Answer {
    let name = request.params.text("DomainName").to_ascii_lowercase();
    let pending = transfers_in(account)
        .find(|(_, detail, _)| !detail.status.is_final() && detail.domain.eq_ignore_ascii_case(&name))
        .map(|(_, detail, _)| detail.detail_no.clone());
    let Some(pending) = pending else {
        return Err(Code::DomainTransferPendingNotExist.fault());
    };
    let other_work = account
        .unfinished_details(&name)
        .any(|detail| detail.detail_no != pending);
    if other_work {
        return Err(Code::TaskIsBeingProcessed.fault());
    }
    let now = account.now;
    if let Some(detail) = account
        .tasks
        .iter_mut()
        .flat_map(|task| task.details.iter_mut())
        .find(|detail| detail.detail_no == pending)
    {
        detail.status = DetailStatus::Failed {
            reason: "You have canceled this domain name transfer in.".into(),
            canceled: true,
        };
        detail.updated = now;
    }
    let client_ip = request.params.text("UserClientIp");
    let task_no = account.create_task(
        request.action,
        "CANCEL_TRANSFER_IN",
        &client_ip,
        vec![NewDetail {
            domain: name,
            instance_id: String::new(),
            effect: Effect::None,
        }],
    );
    Ok(task_created(task_no))
}

/// `SaveSingleTaskForQueryingTransferAuthorizationCode`: a task issuing the code (the transfer lock fails it).
pub(super) fn request_authorization_code(account: &mut Account, request: &Request<'_>) -> Answer {
    let name = request.params.text("DomainName");
    task_on_domains(account, request, "TRANSFER_AUTHORIZATION_CODE", vec![name], |_| {
        Effect::IssueTransferCode
    })
}

/// `SaveSingleTaskForCancelingTransferOut`.
pub(super) fn cancel_transfer_out(account: &mut Account, request: &Request<'_>) -> Answer {
    let name = request.params.text("DomainName");
    task_on_domains(account, request, "CANCEL_TRANSFER_OUT", vec![name], |_| {
        Effect::CancelTransferOut
    })
}

/// `SaveSingleTaskForTransferOutByAuthorizationCode`, `SaveBatchTaskForTransferOutByAuthorizationCode`: the
/// domain leaves the account when the code is its own.
pub(super) fn transfer_out(account: &mut Account, request: &Request<'_>) -> Answer {
    let codes: BTreeMap<String, String> = if request.action.starts_with("SaveSingleTask") {
        BTreeMap::from([(
            request.params.text("DomainName").to_ascii_lowercase(),
            request.params.text("AuthorizationCode"),
        )])
    } else {
        request
            .params
            .structs("TransferOutParamList")
            .iter()
            .map(|item| {
                (
                    field(item, "DomainName").to_ascii_lowercase(),
                    field(item, "AuthorizationCode"),
                )
            })
            .collect()
    };
    let names = codes.keys().cloned().collect();
    task_on_domains(account, request, "TRANSFER_OUT", names, |name| Effect::TransferOut {
        code: codes.get(&name.to_ascii_lowercase()).cloned().unwrap_or_default(),
    })
}

/// `QueryTransferOutInfo`: where the domain's latest transfer-out step stands (code asked for, code issued,
/// transfer running, done, failed or canceled). A domain of the account with no transfer out is an invalid value.
pub(super) fn transfer_out_info(account: &mut Account, request: &Request<'_>) -> Answer {
    let name = request.params.text("DomainName");
    let steps = || {
        details_of(account, &name).filter(|(_, detail)| {
            matches!(
                detail.effect,
                Effect::IssueTransferCode | Effect::TransferOut { .. } | Effect::CancelTransferOut
            )
        })
    };
    let Some((task, latest)) = steps().next() else {
        account.existing_domain(&name)?;
        return Err(invalid_parameter("DomainName", format!("{name} has no transfer out")));
    };
    let (status, result_code, result_message) = match (&latest.effect, &latest.status) {
        (_, DetailStatus::Failed { reason, .. }) if reason.contains("locked") => {
            (8, "transferProhibited", reason.as_str())
        }
        (_, DetailStatus::Failed { reason, .. }) => (8, "clientRejected", reason.as_str()),
        (Effect::CancelTransferOut, _) => (8, "clientCancelled", "You have canceled this domain name transfer out."),
        (Effect::IssueTransferCode, DetailStatus::Succeeded) => (3, "", ""),
        (Effect::IssueTransferCode, _) => (2, "", ""),
        (_, DetailStatus::Succeeded) => (5, "", ""),
        _ => (4, "", ""),
    };
    let issued = steps().find(|(_, detail)| {
        matches!(detail.effect, Effect::IssueTransferCode) && detail.status == DetailStatus::Succeeded
    });
    let domain = account.domain(&name);
    let pending = matches!(latest.effect, Effect::TransferOut { .. }).then_some(task.created);
    Ok(json!({
        "Status": status,
        "ResultCode": result_code,
        "ResultMsg": result_message,
        "Email": domain.map(|held| held.email.clone()).unwrap_or_default(),
        "ExpirationDate": domain.map(|held| format_date(held.expiration_date)).unwrap_or_default(),
        "PendingRequestDate": pending.map(format_date).unwrap_or_default(),
        "TransferAuthorizationCodeSendDate": issued.map(|(_, detail)| format_date(detail.updated)).unwrap_or_default(),
    }))
}

/// The task details about the domain `name` (any case), newest task first.
pub(super) fn details_of<'a>(
    account: &'a Account,
    name: &'a str,
) -> impl Iterator<Item = (&'a Task, &'a TaskDetail)> + 'a {
    account
        .tasks
        .iter()
        .rev()
        .flat_map(|task| task.details.iter().map(move |detail| (task, detail)))
        .filter(move |(_, detail)| detail.domain.eq_ignore_ascii_case(name))
}
