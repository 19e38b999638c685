/** A small inventory: items with stock levels, and the orders that would refill them. */

export interface Item {
  sku: string;
  name: string;
  stock: number;
  /** Below this level the item is reordered. */
  reorderLevel: number;
  /** How many to order at once. */
  batchSize: number;
}

export interface Order {
  sku: string;
  quantity: number;
}

export class Inventory {
  private readonly items = new Map<string, Item>();

  add(item: Item): void {
    if (this.items.has(item.sku)) {
      throw new Error(`duplicate sku: ${item.sku}`);
    }
    this.items.set(item.sku, { ...item });
  }

  get(sku: string): Item | undefined {
    return this.items.get(sku);
  }

  /** Takes `quantity` of an item out of stock; returns false when there is not enough. */
  take(sku: string, quantity: number): boolean {
    const item = this.items.get(sku);
    if (!item || item.stock < quantity) {
      return false;
    }
    item.stock -= quantity;
    return true;
  }

  /** The orders that bring every item back above its reorder level. */
  restock(): Order[] {
    const orders: Order[] = [];
    for (const item of this.items.values()) {
      if (item.stock >= item.reorderLevel) {
        continue;
      }
      const missing = item.reorderLevel - item.stock;
      const batches = Math.ceil(missing / item.batchSize);
      orders.push({ sku: item.sku, quantity: batches * item.batchSize });
    }
    return orders.sort((a, b) => a.sku.localeCompare(b.sku));
  }

  totalStock(): number {
    let total = 0;
    for (const item of this.items.values()) {
      total += item.stock;
    }
    return total;
  }
}

const inventory = new Inventory();
inventory.add({ sku: 'A-100', name: 'bolts', stock: 12, reorderLevel: 50, batchSize: 25 });
inventory.add({ sku: 'B-200', name: 'nuts', stock: 80, reorderLevel: 40, batchSize: 100 });
console.log(inventory.restock());
