import { runOpenLoop } from '../../../../src/tools/loadtest/openLoop';

describe('runOpenLoop', () => {
  test('when earlier requests are still unanswered, then later ones are sent anyway, in order, on their schedule', async () => {
    const count = 5;
    const fired: { index: number; scheduledAt: number }[] = [];
    let answerAll: () => void = () => undefined;
    const allSent = new Promise<void>((resolve) => (answerAll = resolve));
    // No request is answered before the last one was sent: a closed loop would wait forever here.
    const results = await runOpenLoop(count, 1000, async (arrival) => {
      fired.push(arrival);
      if (fired.length === count) answerAll();
      await allSent;
      return arrival.index;
    });
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(fired.map((a) => a.index)).toEqual([0, 1, 2, 3, 4]);
    const gaps = fired.slice(1).map((a, i) => a.scheduledAt - fired[i].scheduledAt);
    for (const gap of gaps) expect(gap).toBeCloseTo(1, 6);
  });
});
