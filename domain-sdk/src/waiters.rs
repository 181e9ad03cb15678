//! Waiting for a task (`TaskNo`) to finish: polls `QueryTaskDetailList` across all pages with backoff and reports
//! each domain's outcome. Built on the generated operation (an extension, not part of the runtime).

use std::time::{Duration, Instant};

use futures_util::TryStreamExt as _;

use crate::operation::query_task_detail_list::{TaskDetail, TaskStatus, TaskStatusCode, MAX_PAGE_SIZE};
use crate::{Client, Error};

/// How [`Client::wait_for_task_with`] polls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiterConfig {
    /// The wait before the second poll; doubles each round up to `max_interval` (default 2 s).
    pub initial_interval: Duration,
    /// The longest wait between two polls (default 30 s).
    pub max_interval: Duration,
    /// How long to wait in all before reporting what is still pending (default 10 minutes).
    pub deadline: Duration,
    /// The page size of each poll (default the documented maximum, 1000).
    pub page_size: i32,
}

impl Default for WaiterConfig {
    fn default() -> Self {
        WaiterConfig {
            initial_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(30),
            deadline: Duration::from_secs(600),
            page_size: MAX_PAGE_SIZE,
        }
    }
}

/// What became of one domain of a task.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum TaskOutcome {
    /// The domain's task succeeded.
    Succeeded {
        /// The domain.
        domain_name: String,
        /// The service's detail.
        detail: Box<TaskDetail>,
    },
    /// The domain's task failed.
    Failed {
        /// The domain.
        domain_name: String,
        /// The reason the service gave (`ErrorMsg`).
        reason: Option<String>,
        /// The service's detail.
        detail: Box<TaskDetail>,
    },
    /// Still waiting or executing when the deadline passed.
    Pending {
        /// The domain.
        domain_name: String,
        /// Its last known status.
        status: Option<TaskStatusCode>,
        /// The service's detail.
        detail: Box<TaskDetail>,
    },
}

impl TaskOutcome {
    /// The domain this outcome is about.
    pub fn domain_name(&self) -> &str {
        match self {
            TaskOutcome::Succeeded { domain_name, .. }
            | TaskOutcome::Failed { domain_name, .. }
            | TaskOutcome::Pending { domain_name, .. } => domain_name,
        }
    }
}

/// The result of waiting for a task.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskReport {
    /// The task.
    pub task_no: String,
    /// One outcome per domain of the task, in the service's order.
    pub outcomes: Vec<TaskOutcome>,
    /// How many times the task was polled.
    pub polls: u32,
}

impl TaskReport {
    /// Whether every domain's task finished (succeeded or failed) before the deadline.
    pub fn is_complete(&self) -> bool {
        !self.outcomes.iter().any(|o| matches!(o, TaskOutcome::Pending { .. }))
    }

    /// Whether every domain's task succeeded.
    pub fn all_succeeded(&self) -> bool {
        self.outcomes.iter().all(|o| matches!(o, TaskOutcome::Succeeded { .. }))
    }
}

/// Where a detail stands: from `TaskStatusCode`, else from `TaskStatus`.
fn finished(detail: &TaskDetail) -> Option<bool> {
    match (&detail.task_status_code, &detail.task_status) {
        (Some(TaskStatusCode::Succeeded), _) | (None, Some(TaskStatus::ExecuteSuccess)) => Some(true),
        (Some(TaskStatusCode::Failed), _) | (None, Some(TaskStatus::ExecuteFailure)) => Some(false),
        _ => None,
    }
}

fn outcome(detail: TaskDetail) -> TaskOutcome {
    let domain_name = detail.domain_name.clone().unwrap_or_default();
    match finished(&detail) {
        Some(true) => TaskOutcome::Succeeded {
            domain_name,
            detail: Box::new(detail),
        },
        Some(false) => TaskOutcome::Failed {
            domain_name,
            reason: detail.error_msg.clone(),
            detail: Box::new(detail),
        },
        None => TaskOutcome::Pending {
            domain_name,
            status: detail.task_status_code.clone(),
            detail: Box::new(detail),
        },
    }
}

impl Client {
    /// Waits for the task `task_no` (returned by the `SaveBatchTask…`/`SaveSingleTask…` actions) with the default
    /// [`WaiterConfig`], and reports each domain's outcome.
    ///
    /// # Errors
    /// A failed poll (after the client's retries).
    pub async fn wait_for_task(&self, task_no: impl Into<String>) -> Result<TaskReport, Error> {
        self.wait_for_task_with(task_no, WaiterConfig::default()).await
    }

    /// Like [`wait_for_task`](Self::wait_for_task), polling as `config` says. At the deadline it returns the
    /// report with the domains still pending, rather than an error.
    ///
    /// # Errors
    /// A failed poll (after the client's retries).
    pub async fn wait_for_task_with(
        &self,
        task_no: impl Into<String>,
        config: WaiterConfig,
    ) -> Result<TaskReport, Error> {
        let task_no = task_no.into();
        let started = Instant::now();
        let mut interval = config.initial_interval;
        let mut polls = 0;
        loop {
            polls += 1;
            let details: Vec<TaskDetail> = self
                .query_task_detail_list()
                .task_no(task_no.clone())
                .page_size(config.page_size)
                .into_paginator()
                .items()
                .try_collect()
                .await?;
            let done = !details.is_empty() && details.iter().all(|d| finished(d).is_some());
            let elapsed = started.elapsed();
            if done || elapsed + interval > config.deadline {
                tracing::debug!(task_no, polls, done, "task wait over");
                let outcomes = details.into_iter().map(outcome).collect();
                return Ok(TaskReport {
                    task_no,
                    outcomes,
                    polls,
                });
            }
            tokio::time::sleep(interval).await;
            interval = (interval * 2).min(config.max_interval);
        }
    }
}
