export * from './standalone.module.js';
