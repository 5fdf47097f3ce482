/**
 * Worker-thread entry of `data pairs --workers N`: processes the scenes it is sent (views, pairs,
 * files written here) and answers with their small scene records.
 */
import { workerData } from 'node:worker_threads';
import { serveTasks } from '../../core/worker-pool.js';
import { processScene, type SceneContext } from './scene-task.js';
import type { SceneTask } from './sources.js';

const ctx = workerData as SceneContext;
serveTasks((task: SceneTask) => processScene(task, ctx));
