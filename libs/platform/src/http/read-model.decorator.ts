import { SetMetadata } from '@nestjs/common';

export const READ_MODEL_KEY = 'dap:read-model';

/** Names the consumers whose tables a read endpoint serves; X-Min-Position waits for them. */
export const ReadModel = (...consumers: string[]) => SetMetadata(READ_MODEL_KEY, consumers);
