/**
 * Worker-thread entry of `data prepare --workers N`: prepares the scenes it is sent and answers
 * with their manifest entries (the scene arrays never cross threads; the worker writes the file).
 */
import { workerData } from 'node:worker_threads';
import { serveTasks } from '../../core/worker-pool.js';
import type { SceneTask } from '../datasets/types.js';
import { prepareScene, type PrepareContext } from './prepare-scene.js';

const ctx = workerData as PrepareContext;
serveTasks((task: SceneTask) => prepareScene(task, ctx));
