export { capRole, highestRole, roleAtLeast } from '@dap/contracts';
