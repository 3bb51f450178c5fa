"""inbound processing attempts

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:

    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('confirm', sa.Boolean(), nullable=False, server_default=sa.true()))




def downgrade() -> None:

    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.drop_column('confirm')
        batch_op.drop_column('attempts')


