import { type Kysely, sql } from 'kysely';

/**
 * The 市町 tile map (issue 21 §3): one square per 市町 at a column and row, placed roughly where it
 * lies. Filled with the 19 市町 of the sample prefecture (滋賀県); an admin edits the positions for
 * another prefecture. Tiles are matched to the organisation directory by 全国地方公共団体コード.
 * Forward-only.
 */
const SHIGA: [string, string, number, number][] = [
  ['252123', '高島市', 0, 1],
  ['252034', '長浜市', 4, 0],
  ['252140', '米原市', 4, 1],
  ['252026', '彦根市', 3, 1],
  ['254410', '豊郷町', 3, 2],
  ['254428', '甲良町', 4, 2],
  ['254436', '多賀町', 5, 2],
  ['252077', '守山市', 1, 3],
  ['252107', '野洲市', 2, 3],
  ['252042', '近江八幡市', 3, 3],
  ['254258', '愛荘町', 4, 3],
  ['252018', '大津市', 0, 4],
  ['252069', '草津市', 1, 4],
  ['252085', '栗東市', 2, 4],
  ['253847', '竜王町', 3, 4],
  ['252131', '東近江市', 4, 4],
  ['252115', '湖南市', 2, 5],
  ['252093', '甲賀市', 3, 5],
  ['253839', '日野町', 4, 5],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('municipality_tiles')
    .addColumn('code', 'text', (c) => c.primaryKey().check(sql`code ~ '^[0-9]{6}$'`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('x', 'integer', (c) => c.notNull().check(sql`x BETWEEN 0 AND 19`))
    .addColumn('y', 'integer', (c) => c.notNull().check(sql`y BETWEEN 0 AND 19`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('municipality_tiles_position', ['x', 'y'])
    .execute();
  await db
    .insertInto('municipality_tiles')
    .values(SHIGA.map(([code, name, x, y]) => ({ code, name, x, y })))
    .execute();
}
