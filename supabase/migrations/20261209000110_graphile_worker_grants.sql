-- =====================================================================================================================
-- What polybot_manager (which runs the notification worker, docs/NOTIFICATIONS.md "Queue") may do in graphile_worker:
-- exactly the statements graphile-worker 0.17.3's worker runs (node_modules/graphile-worker/dist: migrate.js,
-- taskIdentifiers.js, sql/getJobs.js, completeJobs.js, failJobs.js, returnJobs.js, resetLockedAt.js, cron.js,
-- helpers.js), nothing else: no DDL (20261209000100 installed the schema; the worker's startup check reads
-- graphile_worker.migrations, finds every migration there and stops), no cleanup of tasks or queues (an operator's job).
--
-- graphile-worker enables RLS on its tables and writes no policy (its worker normally owns them); the owner here is
-- the migration owner, so the manager gets policies of its own, open on every row: the queue is the platform's, no row
-- belongs to a user. The worker deletes a job when it completes (completeJobs.js), the one DELETE the manager holds.
-- supabase/tests/graphile-worker.test.ts runs the real worker as the manager's login against these grants.
-- =====================================================================================================================

grant usage on schema graphile_worker to polybot_manager;

-- Startup: "select … from graphile_worker.migrations" (migrate.js) finds the schema current.
grant select on graphile_worker.migrations to polybot_manager;

-- Task ids: "insert into _private_tasks (identifier) … on conflict do nothing", then select them (taskIdentifiers.js).
grant select, insert on graphile_worker._private_tasks to polybot_manager;
drop policy if exists "The worker registers its tasks" on graphile_worker._private_tasks;
create policy "The worker registers its tasks" on graphile_worker._private_tasks
  for all to polybot_manager using (true) with check (true);

-- Jobs: lock with "for update skip locked" and update (getJobs.js), fail / return / unlock (update), complete
-- (delete), and add (add_job / add_jobs, security invoker: insert … on conflict (key) do update … returning *).
grant select, insert, update, delete on graphile_worker._private_jobs to polybot_manager;
drop policy if exists "The worker runs jobs" on graphile_worker._private_jobs;
create policy "The worker runs jobs" on graphile_worker._private_jobs
  for all to polybot_manager using (true) with check (true);

-- Named queues: locked beside their job, unlocked on completion/failure, created by add_jobs for a new queue name.
grant select, insert, update on graphile_worker._private_job_queues to polybot_manager;
drop policy if exists "The worker locks queues" on graphile_worker._private_job_queues;
create policy "The worker locks queues" on graphile_worker._private_job_queues
  for all to polybot_manager using (true) with check (true);

-- The crontab (daily_summaries, hourly): which schedules it knows and when each last ran (cron.js).
grant select, insert, update on graphile_worker._private_known_crontabs to polybot_manager;
drop policy if exists "The worker keeps its crontab" on graphile_worker._private_known_crontabs;
create policy "The worker keeps its crontab" on graphile_worker._private_known_crontabs
  for all to polybot_manager using (true) with check (true);

-- Adding jobs: the crontab (cron.js) and tasks' helpers.addJob / addJobs (helpers.js). Nothing else of the schema's
-- functions (remove_job, complete_jobs, permanently_fail_jobs, reschedule_jobs, force_unlock_workers: WorkerUtils for
-- operators). The schema's functions are not executable by PUBLIC (20261204000100's default privileges).
grant execute on function graphile_worker.add_job(text, json, text, timestamptz, integer, text, integer, text[], text)
  to polybot_manager;
grant execute on function graphile_worker.add_jobs(graphile_worker.job_spec[], boolean) to polybot_manager;
