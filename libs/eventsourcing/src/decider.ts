/** An event as a decider sees it: a type and its payload. Envelopes satisfy it too. */
export interface DomainEvent<TType extends string = string, TData = unknown> {
  type: TType;
  data: TData;
}

/**
 * The decider pattern: pure business rules. `decide` turns a command and the current state into
 * new events (or throws a DomainError); `evolve` folds one event into the state. Time is passed in.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  initialState: () => State;
  decide: (command: Command, state: State, now: Date) => Event[];
  evolve: (state: State, event: Event) => State;
}

export const fold = <E extends DomainEvent, S>(
  decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>,
  events: E[],
): S => events.reduce(decider.evolve, decider.initialState());
