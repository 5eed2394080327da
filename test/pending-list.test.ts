import { describe, expect, it } from 'vitest';
import { PendingList } from '../src/engine/pending-list.js';

describe('PendingList (what a stop cancels)', () => {
  it('removes any entry in O(1), once, and hands back exactly what is still pending', () => {
    const list = new PendingList<string>();
    const a = list.add('a');
    const b = list.add('b');
    const c = list.add('c');
    expect(list.size).toBe(3);
    list.remove(b); // the middle
    list.remove(b); // twice is harmless
    expect(list.size).toBe(2);
    list.remove(c); // the head
    const d = list.add('d');
    expect(list.takeAll().sort()).toEqual(['a', 'd']);
    expect(list.size).toBe(0);
    list.remove(a); // already taken: nothing happens
    list.remove(d);
    expect(list.size).toBe(0);
    expect(list.takeAll()).toEqual([]);
  });

  it('a wake that removes itself while the list is being emptied does not disturb the rest', () => {
    const list = new PendingList<() => void>();
    const fired: number[] = [];
    const entries = [0, 1, 2, 3].map((i) => {
      const entry = list.add(() => {
        list.remove(entry);
        fired.push(i);
      });
      return entry;
    });
    for (const wake of list.takeAll()) wake();
    expect(fired.sort()).toEqual([0, 1, 2, 3]);
    expect(list.size).toBe(0);
    expect(entries.every((e) => !e.listed)).toBe(true);
  });
});
