//! Tasks as the account shows them: the task list and history, each task's details (reading them moves them
//! on under the polls timing), the results to acknowledge, and cancellation.

use serde_json::{json, Value};

use super::render::cursor_page;
use super::{Answer, Request};
use crate::account::{format_date, Account, DetailStatus, Task, TaskDetail};
use crate::fault::invalid_parameter;

/// Where a detail is in the account: its task's index and its own.
#[derive(Debug, Clone, Copy)]
struct DetailAt {
    task: usize,
    detail: usize,
}

impl DetailAt {
    fn task<'a>(&self, account: &'a Account) -> &'a Task {
        &account.tasks[self.task]
    }

    fn detail<'a>(&self, account: &'a Account) -> &'a TaskDetail {
        &account.tasks[self.task].details[self.detail]
    }

    fn render(&self, account: &Account) -> Value {
        detail_json(self.task(account), self.detail(account))
    }
}

fn task_type_description(task_type: &str) -> &'static str {
    match task_type {
        "ORDER_ACTIVATE" => "创建注册订单",
        "ORDER_RENEW" => "创建续费订单",
        "ORDER_REDEEM" => "创建赎回订单",
        "ORDER_TRANSFER" => "创建转入订单",
        "CHG_DNS" => "修改DNS",
        "SET_UPDATE_PROHIBITED" => "设置禁止更新锁",
        "SET_TRANSFER_PROHIBITED" => "设置禁止转移锁",
        "SET_WHOIS_PROTECT" => "设置隐私保护",
        "CREATE_DNSHOST" => "创建DNS Host",
        "UPDATE_DNSHOST" => "修改DNS Host",
        "DELETE_DOMAIN" => "删除域名",
        _ => "",
    }
}

fn task_info(task: &Task) -> Value {
    let progress = task.progress();
    let (cancel_code, cancel_status) = if task.canceled { (2, "COMPLETE") } else { (0, "INIT") };
    json!({
        "Clientip": task.client_ip,
        "CreateTime": format_date(task.created),
        "CreateTimeLong": task.created,
        "TaskNo": task.task_no,
        "TaskNum": task.details.len(),
        "TaskStatus": progress.name(),
        "TaskStatusCode": progress.code(),
        "TaskType": task.task_type,
        "TaskTypeDescription": task_type_description(&task.task_type),
        "TaskCancelStatus": cancel_status,
        "TaskCancelStatusCode": cancel_code,
    })
}

/// A detail as `QueryTaskDetailList` shows it: a failure by its reason (`ErrorMsg`) alone, `TaskResult` empty
/// (the reference documents it as a result some task types record, not as an error code).
fn detail_json(task: &Task, detail: &TaskDetail) -> Value {
    let message = match &detail.status {
        DetailStatus::Failed { reason, .. } => reason.as_str(),
        DetailStatus::Succeeded => "The operation is successful.",
        _ => "",
    };
    json!({
        "TaskNo": task.task_no,
        "TaskDetailNo": detail.detail_no,
        "DomainName": detail.domain,
        "InstanceId": detail.instance_id,
        "TaskStatus": detail.status.name(),
        "TaskStatusCode": detail.status.code(),
        "ErrorMsg": message,
        "TaskResult": "",
        "TaskType": task.task_type,
        "TaskTypeDescription": task_type_description(&task.task_type),
        "TryCount": i32::from(detail.status.is_final()),
        "CreateTime": format_date(task.created),
        "UpdateTime": format_date(detail.updated),
    })
}

/// The tasks created within the request's time bounds, newest first, as indexes.
fn tasks_newest_first(account: &Account, request: &Request<'_>) -> Vec<usize> {
    let mut found: Vec<usize> = (0..account.tasks.len())
        .filter(|&index| {
            request
                .params
                .in_range(account.tasks[index].created, "BeginCreateTime", "EndCreateTime")
        })
        .collect();
    found.reverse();
    found
}

/// The details matching the request's filters, in the task `only` or in every task.
fn matching_details(account: &Account, request: &Request<'_>, only: Option<usize>) -> Vec<DetailAt> {
    let params = &request.params;
    let status = params.int("TaskStatus");
    let (instance, domain) = (params.text("InstanceId"), params.text("DomainName"));
    let tasks: Vec<usize> = match only {
        Some(task) => vec![task],
        None => (0..account.tasks.len()).collect(),
    };
    let mut found = Vec::new();
    for task in tasks {
        for (detail, candidate) in account.tasks[task].details.iter().enumerate() {
            if status.is_none_or(|wanted| wanted == i64::from(candidate.status.code()))
                && (instance.is_empty() || candidate.instance_id == instance)
                && (domain.is_empty() || candidate.domain.eq_ignore_ascii_case(&domain))
            {
                found.push(DetailAt { task, detail });
            }
        }
    }
    found
}

/// The task of `TaskNo`, if the account has it.
fn task_index(account: &Account, request: &Request<'_>) -> Option<usize> {
    let task_no = request.params.text("TaskNo");
    account.tasks.iter().position(|task| task.task_no == task_no)
}

/// `QueryTaskList`.
pub(super) fn list(account: &mut Account, request: &Request<'_>) -> Answer {
    let items = tasks_newest_first(account, request)
        .into_iter()
        .map(|index| task_info(&account.tasks[index]))
        .collect();
    Ok(request.params.page().wrapped(items, "TaskInfo"))
}

/// `QueryTaskInfoHistory`: cursor pages of the tasks, newest first.
pub(super) fn info_history(account: &mut Account, request: &Request<'_>) -> Answer {
    let found = tasks_newest_first(account, request);
    let cursor = request.params.text("TaskNoCursor");
    let start = found
        .iter()
        .position(|&index| account.tasks[index].task_no == cursor)
        .unwrap_or(0);
    Ok(cursor_page(&found, start, request.params.page_size(10), |&index| {
        task_info(&account.tasks[index])
    }))
}

/// `QueryTaskDetailList`: a page of the task's details, each read once. An unknown task number lists nothing,
/// as the service does for a task that is not the account's (the SDK's waiter reports `NotFound`).
pub(super) fn details(account: &mut Account, request: &Request<'_>) -> Answer {
    let page = request.params.page();
    let found = match task_index(account, request) {
        Some(task) => matching_details(account, request, Some(task)),
        None => Vec::new(),
    };
    let total = found.len();
    let shown = page.of(found);
    for at in &shown {
        account.observe(at.task, at.detail);
    }
    let items: Vec<Value> = shown.iter().map(|at| at.render(account)).collect();
    Ok(page.envelope(total, json!({ "TaskDetail": items })))
}

/// `QueryTaskDetailHistory`: cursor pages of the task's details, each read once (nothing for an unknown task).
pub(super) fn detail_history(account: &mut Account, request: &Request<'_>) -> Answer {
    let found = match task_index(account, request) {
        Some(task) => matching_details(account, request, Some(task)),
        None => Vec::new(),
    };
    let cursor = request.params.text("TaskDetailNoCursor");
    let start = found
        .iter()
        .position(|at| at.detail(account).detail_no == cursor)
        .unwrap_or(0);
    let size = request.params.page_size(10);
    for at in found.iter().skip(start).take(size) {
        account.observe(at.task, at.detail);
    }
    Ok(cursor_page(&found, start, size, |at| at.render(account)))
}

/// `PollTaskResult`: the finished, unacknowledged details (of one task, or all), each read once.
pub(super) fn poll_results(account: &mut Account, request: &Request<'_>) -> Answer {
    let page = request.params.page();
    let only = task_index(account, request);
    if request.params.str("TaskNo").is_some() && only.is_none() {
        return Ok(page.wrapped(Vec::new(), "TaskDetail"));
    }
    let wanted = request.params.int("TaskResultStatus");
    let mut found = Vec::new();
    for at in matching_details(account, request, only) {
        account.observe(at.task, at.detail);
        let detail = at.detail(account);
        if detail.status.is_final()
            && !detail.acknowledged
            && wanted.is_none_or(|status| status == i64::from(detail.status.code()))
        {
            found.push(at.render(account));
        }
    }
    Ok(page.wrapped(found, "TaskDetail"))
}

/// `AcknowledgeTaskResult`: how many of the finished details listed were acknowledged.
pub(super) fn acknowledge(account: &mut Account, request: &Request<'_>) -> Answer {
    let wanted = request.params.list("TaskDetailNo");
    let mut count = 0;
    for detail in account.tasks.iter_mut().flat_map(|task| &mut task.details) {
        if wanted.contains(&detail.detail_no) && detail.status.is_final() {
            detail.acknowledged = true;
            count += 1;
        }
    }
    Ok(json!({ "Result": count }))
}

/// `CancelTask`: the task's unfinished details fail as canceled. A task number the account does not have is an
/// invalid value.
pub(super) fn cancel(account: &mut Account, request: &Request<'_>) -> Answer {
    let Some(index) = task_index(account, request) else {
        let task_no = request.params.text("TaskNo");
        return Err(invalid_parameter(
            "TaskNo",
            format!("{task_no} is not a task of this account"),
        ));
    };
    let now = account.now;
    let task = &mut account.tasks[index];
    task.canceled = true;
    for detail in task.details.iter_mut().filter(|detail| !detail.status.is_final()) {
        detail.status = DetailStatus::Failed {
            reason: "The task was canceled.".into(),
            canceled: true,
        };
        detail.updated = now;
    }
    Ok(
        json!({"code": "200", "name": "TaskCancellSuccess", "message": "success",
        "data": {"Code": "200", "Message": "success"}}),
    )
}
